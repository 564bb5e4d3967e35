/** The indicator fields, built from the catalogue (GET /api/indicators), and reading and filling their values. */
import { $, label } from './helpers.js';
import { state } from './state.js';
import { t } from './text.js';

export function indentedKeys(catalogue) {
  // "of which" rows: an indicator bounded by a single indicator listed just before it in the same group.
  var order = {};
  catalogue.indicators.forEach(function (ind, i) { order[ind.key] = i; });
  var byKey = {};
  catalogue.indicators.forEach(function (ind) { byKey[ind.key] = ind; });
  var sub = {};
  (catalogue.constraints || []).forEach(function (c) {
    if (c.atMostSumOf && c.atMostSumOf.length === 1) {
      var parent = byKey[c.atMostSumOf[0]];
      var child = byKey[c.key];
      if (parent && child && parent.group === child.group && order[parent.key] < order[child.key]) { sub[c.key] = true; }
    }
  });
  return sub;
}

export function buildFields() {
  var container = $('groups');
  container.textContent = '';
  var catalogue = state.catalogue;
  var sub = indentedKeys(catalogue);
  var groups = catalogue.groups.slice();
  // Indicators whose group is not listed still get a fieldset.
  catalogue.indicators.forEach(function (ind) {
    if (!groups.some(function (g) { return g.key === ind.group; })) {
      groups.push({ key: ind.group, labelZh: ind.group, labelEn: ind.group });
    }
  });
  groups.forEach(function (group) {
    var members = catalogue.indicators.filter(function (ind) { return ind.group === group.key; });
    if (!members.length) { return; }
    var fieldset = document.createElement('fieldset');
    fieldset.className = 'group';
    fieldset.id = 'group-' + group.key;
    fieldset.setAttribute('data-group', group.key);
    var legend = document.createElement('legend');
    legend.setAttribute('data-group-label', group.key);
    fieldset.appendChild(legend);
    members.forEach(function (ind) { fieldset.appendChild(buildField(ind, !!sub[ind.key])); });
    container.appendChild(fieldset);
  });
  relabelFields();
}

export function buildField(ind, isSub) {
  var wrap = document.createElement('div');
  wrap.className = 'field field-number' + (isSub ? ' sub' : '');
  wrap.setAttribute('data-field', ind.key);
  wrap.setAttribute('data-kind', ind.kind);

  var lab = document.createElement('label');
  lab.htmlFor = 'v-' + ind.key;
  lab.id = 'label-' + ind.key;
  var text = document.createElement('span');
  text.className = 'label-text';
  lab.appendChild(text);
  if (ind.required) {
    var req = document.createElement('span');
    req.className = 'req';
    req.textContent = '*';
    req.setAttribute('aria-hidden', 'true');
    lab.appendChild(req);
  }
  if (ind.kind === 'stock') {
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.setAttribute('data-kind-label', 'stock');
    lab.appendChild(kind);
  }
  wrap.appendChild(lab);

  var input = document.createElement('input');
  input.type = 'text';
  input.id = 'v-' + ind.key;
  input.name = ind.key;
  input.autocomplete = 'off';
  input.setAttribute('inputmode', ind.bounds && ind.bounds.decimals > 0 ? 'decimal' : 'numeric');
  input.setAttribute('data-indicator', ind.key);
  input.setAttribute('enterkeyhint', 'next');
  if (ind.required) {
    input.required = true;
    input.setAttribute('aria-required', 'true');
  }
  input.setAttribute('aria-describedby', 'err-' + ind.key + ' hint-' + ind.key);
  wrap.appendChild(input);

  var hint = document.createElement('p');
  hint.className = 'hint';
  hint.id = 'hint-' + ind.key;
  hint.setAttribute('data-yesterday-for', ind.key);
  hint.hidden = true;
  wrap.appendChild(hint);

  var error = document.createElement('div');
  error.className = 'field-error';
  error.id = 'err-' + ind.key;
  error.setAttribute('data-error-for', 'values.' + ind.key);
  error.setAttribute('role', 'alert');
  error.hidden = true;
  wrap.appendChild(error);
  return wrap;
}

export function relabelFields() {
  var catalogue = state.catalogue;
  catalogue.groups.forEach(function (g) {
    var legend = document.querySelector('[data-group-label="' + g.key + '"]');
    if (legend) { legend.textContent = label(g); }
  });
  catalogue.indicators.forEach(function (ind) {
    var lab = $('label-' + ind.key);
    if (!lab) { return; }
    lab.querySelector('.label-text').textContent = label(ind);
    var kind = lab.querySelector('.kind');
    if (kind) { kind.textContent = t('stock'); }
    var input = $('v-' + ind.key);
    input.setAttribute('aria-label', label(ind) + (ind.required ? ' (' + t('required') + ')' : ''));
  });
}

export function clearForm() {
  var inputs = document.querySelectorAll('#groups input');
  for (var i = 0; i < inputs.length; i++) { inputs[i].value = ''; }
  $('notes').value = '';
}

export function fillForm(values, notes, reporter) {
  clearForm();
  Object.keys(values || {}).forEach(function (key) {
    var input = $('v-' + key);
    if (input && values[key] !== null && values[key] !== undefined) { input.value = String(values[key]); }
  });
  $('notes').value = notes || '';
  if (reporter) {
    if (reporter.name) { $('reporter-name').value = reporter.name; }
    if (reporter.phone) { $('reporter-phone').value = reporter.phone; }
  }
}

export function readTexts() {
  var values = {};
  state.catalogue.indicators.forEach(function (ind) {
    var input = $('v-' + ind.key);
    if (input && input.value.trim() !== '') { values[ind.key] = input.value; }
  });
  return {
    values: values,
    notes: $('notes').value,
    name: $('reporter-name').value,
    phone: $('reporter-phone').value
  };
}
