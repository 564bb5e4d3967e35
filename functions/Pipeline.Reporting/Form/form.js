/*
 * The reporters' daily form: the entry module (signing in, loading, wiring the page's events).
 * Plain JavaScript as ES modules the browser loads as they are: no build step, nothing fetched from
 * outside the app. The modules beside it hold one section each (see the README's form section).
 *
 * - Everything about indicators (labels, groups, kinds, bounds, constraints) comes from GET /api/indicators.
 * - "Today" comes from GET /api/me (the reporting time zone), never from the device clock.
 * - A submit waits on the device until the server has answered it (queue.js).
 */
import { api } from './api.js';
import { loadDay, markDirty, renderUnit, useYesterday } from './day.js';
import { enrolFromLink } from './enrol.js';
import { buildFields } from './fields.js';
import { $, load, remove, save, setStatus } from './helpers.js';
import { applyLanguage, toggleLanguage } from './language.js';
import { collect } from './checks.js';
import { clearErrorFor, clearErrors, fieldOf } from './messages.js';
import { flushQueue, renderPending } from './queue.js';
import { state, STORE } from './state.js';
import { submitReport } from './submit.js';
import { t } from './text.js';

function showTokenSection(message) {
  $('token-section').hidden = false;
  $('token-cancel').hidden = !state.token;
  var err = $('token-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('token-input').value = '';
  $('token-input').focus();
}

/**
 * An error shown beside a field goes as soon as the field's value is fixed, not at the next submit: the
 * page checks the field again as typed (the server's own message is about the value it saw, now changed).
 */
function recheck(field) {
  if (!field || !state.catalogue) { return; }
  var box = document.querySelector('[data-error-for="' + field + '"]');
  if (!box || box.hidden) { return; }
  if (!collect().errors[field]) { clearErrorFor(field); }
}

function start() {
  var token = state.token;
  if (!token) {
    $('unit-section').hidden = true;
    $('report-form').hidden = true;
    showTokenSection();
    return Promise.resolve();
  }
  setStatus(t('loading'));
  var me = api('GET', '/api/me');
  var catalogue = state.catalogue ? Promise.resolve(null) : api('GET', '/api/indicators');
  // The rules across fields, as the server checks them; without them (offline, first visit) the server alone judges.
  var shape = state.shape ? Promise.resolve(null) : api('GET', '/api/report-shape');
  shape.then(function (answer) {
    if (answer && answer.ok && answer.json) { state.shape = answer.json; save(STORE.shape, state.shape); }
    else if (answer) { state.shape = load(STORE.shape, null); }
  });
  return Promise.all([me, catalogue]).then(function (answers) {
    var meAnswer = answers[0];
    var catAnswer = answers[1];
    if (state.token !== token) { return; }
    if (meAnswer.status === 401) {
      remove(STORE.me);
      setStatus('');
      $('unit-section').hidden = true;
      $('report-form').hidden = true;
      showTokenSection(t('tokenInvalid'));
      return;
    }
    var offline = false;
    if (meAnswer.ok && meAnswer.json) {
      state.me = meAnswer.json;
      state.meFromCache = false;
      save(STORE.me, state.me);
    } else {
      state.me = load(STORE.me, null);
      state.meFromCache = true;
      offline = true;
    }
    if (catAnswer) {
      if (catAnswer.ok && catAnswer.json) {
        state.catalogue = catAnswer.json;
        save(STORE.catalogue, state.catalogue);
      } else {
        state.catalogue = load(STORE.catalogue, null);
        offline = true;
      }
    }
    if (!state.me || !state.catalogue) {
      setStatus(t('loadFailed'), 'error');
      return;
    }
    if (state.me.role !== 'reporter') {
      setStatus(t('notReporter', { role: state.me.role }), 'error');
      $('unit-section').hidden = false;
      $('report-form').hidden = true;
      renderUnit();
      return;
    }
    $('token-section').hidden = true;
    $('unit-section').hidden = false;
    $('report-form').hidden = false;
    state.date = state.me.today;
    buildFields();
    renderUnit();
    setStatus(offline ? t('offlineCached', { date: state.me.today }) : '', offline ? 'warn' : null, offline ? 'connection' : null);
    return loadDay(offline);
  });
}

function saveToken(event) {
  event.preventDefault();
  var value = $('token-input').value.trim().replace(/^Bearer\s+/i, '');
  if (!value) { showTokenSection(t('tokenEmpty')); return; }
  if (value !== state.token) {
    remove(STORE.me);
    state.me = null;
  }
  state.token = value;
  save(STORE.token, value);
  $('token-input').value = '';
  $('token-error').hidden = true;
  state.started = start();
  state.started.then(function () { flushQueue(); }, function () { flushQueue(); });
}

function init() {
  var lang = load(STORE.lang, null);
  state.lang = lang === 'en' ? 'en' : 'zh';
  state.token = load(STORE.token, '') || '';
  applyLanguage();

  $('lang-toggle').addEventListener('click', toggleLanguage);
  $('token-form').addEventListener('submit', saveToken);
  $('token-change').addEventListener('click', function () { showTokenSection(); });
  $('token-cancel').addEventListener('click', function () { $('token-section').hidden = true; });
  $('report-form').addEventListener('submit', submitReport);
  $('report-form').addEventListener('input', function (e) {
    if (e.target && e.target.id !== 'report-date') { markDirty(); }
    recheck(fieldOf(e.target));
  });
  $('use-yesterday').addEventListener('click', useYesterday);
  $('retry-now').addEventListener('click', function () { flushQueue(); });
  $('report-date').addEventListener('change', function () {
    state.date = $('report-date').value;
    clearErrors();
    $('general-errors').hidden = true;
    $('result').hidden = true;
    setStatus('');
    loadDay(false);
  });
  window.addEventListener('online', function () { flushQueue(); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') { flushQueue(); }
  });
  window.addEventListener('storage', function (e) {
    if (e.key === STORE.queue) { renderPending(); }
  });

  renderPending();
  state.started = enrolFromLink().then(function (enrolment) {
    return start().then(function () {
      if (enrolment && enrolment.failed) {
        // Either way the failure takes the place of "signing in with the link…" (enrol.js), which no longer holds.
        if (state.token) {
          setStatus(enrolment.failed, 'error');
        } else {
          setStatus('');
          showTokenSection(enrolment.failed);
        }
      } else if (enrolment && enrolment.enrolled && state.me && state.me.role === 'reporter') {
        setStatus(t('enrolled'), 'ok');
      }
    });
  });
  state.started.then(function () { flushQueue(); }, function () { flushQueue(); });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
