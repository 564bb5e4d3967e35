/** Field errors beside their fields, the general error area, the result card and the submit button's state. */
import { $, cssEscape, unitName } from './helpers.js';
import { t } from './text.js';

export function clearErrors() {
  var boxes = document.querySelectorAll('[data-error-for]');
  for (var i = 0; i < boxes.length; i++) {
    if (boxes[i].id === 'token-error') { continue; }
    boxes[i].textContent = '';
    boxes[i].hidden = true;
  }
  var invalid = document.querySelectorAll('[aria-invalid="true"]');
  for (var j = 0; j < invalid.length; j++) { invalid[j].removeAttribute('aria-invalid'); }
  var marked = document.querySelectorAll('.has-error');
  for (var k = 0; k < marked.length; k++) { marked[k].classList.remove('has-error'); }
  var warnings = document.querySelectorAll('.field-warning');
  for (var w = 0; w < warnings.length; w++) { warnings[w].parentNode.removeChild(warnings[w]); }
}

export const FIELD_INPUTS = { notes: 'notes', 'reporter.name': 'reporter-name', 'reporter.phone': 'reporter-phone', reportDate: 'report-date' };

/** The error key of an input ('values.returnees' for #v-returnees), or null. */
export function fieldOf(input) {
  if (!input || !input.id) { return null; }
  if (input.id.indexOf('v-') === 0) { return 'values.' + input.id.slice(2); }
  var found = null;
  Object.keys(FIELD_INPUTS).forEach(function (k) { if (FIELD_INPUTS[k] === input.id) { found = k; } });
  return found;
}

/** Takes one field's error down (its message, its marks). */
export function clearErrorFor(field) {
  var box = document.querySelector('[data-error-for="' + cssEscape(field) + '"]');
  if (box) { box.textContent = ''; box.hidden = true; }
  var input = field.indexOf('values.') === 0 ? $('v-' + field.slice(7)) : $(FIELD_INPUTS[field]);
  if (input) {
    input.removeAttribute('aria-invalid');
    if (input.parentNode) { input.parentNode.classList.remove('has-error'); }
  }
}

/** Puts each message next to its field; whatever has no field goes to the general area. */
export function showErrors(errors, headline, source) {
  clearErrors();
  var general = [];
  var first = null;
  Object.keys(errors || {}).forEach(function (field) {
    var messages = [].concat(errors[field]);
    var box = document.querySelector('[data-error-for="' + cssEscape(field) + '"]');
    if (!box || field === 'general') {
      messages.forEach(function (m) { general.push(field === 'general' || field === '$' ? m : field + ': ' + m); });
      return;
    }
    box.textContent = '';
    messages.forEach(function (m) {
      var p = document.createElement('p');
      p.textContent = m;
      box.appendChild(p);
    });
    box.setAttribute('data-source', source || 'server');
    box.hidden = false;
    var input = field.indexOf('values.') === 0 ? $('v-' + field.slice(7)) : $(FIELD_INPUTS[field]);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (input.parentNode) { input.parentNode.classList.add('has-error'); }
      if (!first) { first = input; }
    }
  });
  var area = $('general-errors');
  area.textContent = '';
  area.setAttribute('data-source', source || 'server');
  if (headline || general.length) {
    if (headline) {
      var h = document.createElement('p');
      h.textContent = headline;
      area.appendChild(h);
    }
    if (general.length) {
      var ul = document.createElement('ul');
      general.forEach(function (m) { var li = document.createElement('li'); li.textContent = m; ul.appendChild(li); });
      area.appendChild(ul);
    }
    area.hidden = false;
  }
  if (first) {
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: 'center' });
  } else if (!area.hidden) {
    area.scrollIntoView({ block: 'center' });
  }
}

export function showResult(body, unitLabel) {
  var outcome = body.outcome || (body.revision === 1 ? 'created' : 'updated');
  $('result-title').textContent = t(outcome === 'unchanged' ? 'outcomeUnchanged' : outcome === 'updated' ? 'outcomeUpdated' : 'outcomeCreated');
  $('result').setAttribute('data-outcome', outcome);
  $('receipt').textContent = body.receipt || '';
  $('revision').textContent = String(body.revision);
  $('result-meta').textContent = t('resultMeta', { unit: unitLabel || unitName(), date: body.reportDate });
  $('result-late').hidden = !body.late;
  var list = $('warnings');
  list.textContent = '';
  (body.warnings || []).forEach(function (w) {
    var li = document.createElement('li');
    li.textContent = w.message;
    li.setAttribute('data-warning-for', 'values.' + w.indicator);
    li.setAttribute('data-rule', w.rule);
    list.appendChild(li);
    var wrap = document.querySelector('[data-field="' + cssEscape(w.indicator) + '"]');
    if (wrap) {
      var note = document.createElement('p');
      note.className = 'field-warning';
      note.setAttribute('data-warning-for', 'values.' + w.indicator);
      note.textContent = w.message;
      wrap.appendChild(note);
    }
  });
  $('warnings-box').hidden = !(body.warnings && body.warnings.length);
  $('result').hidden = false;
  $('result').scrollIntoView({ block: 'center' });
}

export function setSubmitting(on) {
  var b = $('submit');
  b.disabled = !!on;
  b.textContent = t(on ? 'submitting' : 'submit');
}
