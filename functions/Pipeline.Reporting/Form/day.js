/** The unit, the report date, that day's current report and yesterday's, and the draft kept while typing. */
import { api } from './api.js';
import { clearForm, fillForm, readTexts } from './fields.js';
import { $, addDays, countyName, load, save, setStatus, unitName } from './helpers.js';
import { state, STORE } from './state.js';
import { t } from './text.js';

export function renderUnit() {
  if (!state.me) { return; }
  $('unit-name').textContent = unitName() + (state.me.scope ? ' (' + state.me.scope + ')' : '');
  $('county-name').textContent = countyName();
  $('today').textContent = state.me.today;
  var select = $('report-date');
  var selected = state.date || state.me.today;
  select.textContent = '';
  var earliest = state.me.earliestDate || state.me.today;
  for (var d = state.me.today, n = 0; d >= earliest && n < 62; d = addDays(d, -1), n++) {
    var option = document.createElement('option');
    option.value = d;
    option.textContent = d + (d === state.me.today ? t('todayMark') : '');
    if (d === selected) { option.selected = true; }
    select.appendChild(option);
  }
}

export function renderCurrent() {
  var box = $('current-report');
  if (!state.current) { box.hidden = true; box.textContent = ''; return; }
  box.textContent = t('currentReport', { date: state.current.reportDate, revision: state.current.revision, receipt: state.current.receipt });
  box.hidden = false;
}

/**
 * Yesterday's level of each stock, offered beside the field and never shown inside it: a blank field stays
 * visibly blank (it stores "not reported"), and the value goes in only through the field's own "use" button
 * or the button that fills every blank level.
 */
export function renderYesterday() {
  if (!state.catalogue) { return; }
  var any = false;
  state.catalogue.indicators.forEach(function (ind) {
    var hint = document.querySelector('[data-yesterday-for="' + ind.key + '"]');
    if (!hint) { return; }
    var input = $('v-' + ind.key);
    var value = ind.kind === 'stock' && state.yesterday && state.yesterday.values ? state.yesterday.values[ind.key] : undefined;
    hint.textContent = '';
    input.removeAttribute('placeholder');
    if (value === undefined || value === null) {
      hint.hidden = true;
      input.removeAttribute('data-yesterday');
      return;
    }
    any = true;
    var text = document.createElement('span');
    text.textContent = t('yesterday', { value: String(value) });
    var use = document.createElement('button');
    use.type = 'button';
    use.className = 'btn btn-small use-one';
    use.setAttribute('data-use-yesterday-for', ind.key);
    use.textContent = t('useYesterdayOne', { value: String(value) });
    use.addEventListener('click', function () { takeYesterday(input); });
    hint.appendChild(text);
    hint.appendChild(use);
    hint.hidden = false;
    input.setAttribute('data-yesterday', String(value));
  });
  $('use-yesterday').hidden = !any;
}

/** Puts yesterday's level into one field, as if typed (the draft and the field's checks follow). */
function takeYesterday(input) {
  input.value = input.getAttribute('data-yesterday');
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.focus();
}

export function useYesterday() {
  var filled = false;
  state.catalogue.indicators.forEach(function (ind) {
    var input = $('v-' + ind.key);
    if (ind.kind === 'stock' && input && input.value.trim() === '' && input.hasAttribute('data-yesterday')) {
      input.value = input.getAttribute('data-yesterday');
      filled = true;
    }
  });
  if (filled) {
    markDirty();
    setStatus(t('yesterdayFilled'), 'warn');
  }
}

export function draftKey() { return STORE.draftPrefix + (state.me ? state.me.scope : '') + '.' + state.date; }

export function markDirty() {
  state.dirty = true;
  if (state.draftTimer) { clearTimeout(state.draftTimer); }
  state.draftTimer = setTimeout(function () {
    state.draftTimer = null;
    if (state.dirty) { save(draftKey(), readTexts()); }
  }, 400);
}

export function loadDay(quiet) {
  var date = state.date;
  var unit = state.me.scope;
  state.current = null;
  state.yesterday = null;
  renderCurrent();
  renderYesterday();
  var draft = load(draftKey(), null);
  var cached = load(STORE.reporter, null);
  clearForm();
  if (cached) { fillForm({}, '', cached); }
  if (draft) {
    fillForm({}, draft.notes, { name: draft.name, phone: draft.phone });
    Object.keys(draft.values || {}).forEach(function (k) { var input = $('v-' + k); if (input) { input.value = draft.values[k]; } });
    state.dirty = true;
    if (!quiet) { setStatus(t('draftRestored'), 'warn'); }
  } else {
    state.dirty = false;
  }
  var today = api('GET', '/api/reports/' + date + '/' + encodeURIComponent(unit));
  var before = api('GET', '/api/reports/' + addDays(date, -1) + '/' + encodeURIComponent(unit));
  return Promise.all([today, before]).then(function (answers) {
    if (state.date !== date) { return; }   // the reporter picked another date meanwhile
    var current = answers[0];
    var previous = answers[1];
    if (previous.ok && previous.json) { state.yesterday = previous.json; }
    if (current.ok && current.json) {
      state.current = current.json;
      if (!state.dirty) { fillForm(current.json.values, current.json.notes, current.json.reporter); }
    }
    renderCurrent();
    renderYesterday();
  });
}
