/**
 * What the page can tell before sending: a number, its bounds, required fields. The server stays the
 * judge: its messages are shown beside the fields when it refuses a report.
 */
import { $, label } from './helpers.js';
import { state } from './state.js';
import { t } from './text.js';

export function normalizeNumber(text) {
  return text
    .replace(/[\uFF10-\uFF19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48); })
    .replace(/[\uFF0E\u3002]/g, '.')
    .replace(/[\s,\uFF0C\u00A0]/g, '');
}

export function formatBound(n) { return String(n); }

/**
 * Turns the typed text into numbers; returns { values, errors } with errors keyed like the server's.
 * Checked here: a number, its bounds, required fields and the rules across fields the server publishes;
 * the server checks them all again and its messages are shown beside the fields when it refuses a report.
 */
export function collect() {
  var errors = {};
  var values = {};
  function add(field, message) { (errors[field] = errors[field] || []).push(message); }
  state.catalogue.indicators.forEach(function (ind) {
    var input = $('v-' + ind.key);
    if (!input) { return; }
    var text = normalizeNumber(input.value);
    var field = 'values.' + ind.key;
    if (text === '') {
      if (ind.required) { add(field, t('errRequired')); }
      return;
    }
    var bounds = ind.bounds || { min: 0, max: 1000000, decimals: 0 };
    if (!/^-?\d+(\.\d+)?$/.test(text)) { add(field, t('errNumber')); return; }
    var fraction = text.indexOf('.') >= 0 ? text.split('.')[1].replace(/0+$/, '') : '';
    if (fraction.length > bounds.decimals) {
      add(field, bounds.decimals === 0 ? t('errInteger') : t('errDecimals', { decimals: bounds.decimals }));
      return;
    }
    var number = Number(text);
    if (!isFinite(number) || number < bounds.min || number > bounds.max) {
      add(field, t('errRange', { min: formatBound(bounds.min), max: formatBound(bounds.max) }));
      return;
    }
    values[ind.key] = number;
  });
  crossFieldErrors(values).forEach(function (e) { add(e.field, e.message); });
  return { values: values, errors: errors };
}

/** "{0} ({1}) cannot exceed {2} ({3})" with its arguments, as the server words it. */
function format(template, args) {
  return template.replace(/\{(\d+)\}/g, function (m, i) { return args[+i] === undefined ? m : String(args[+i]); });
}

/**
 * The rules across fields published at GET /api/report-shape (atMostSum: a value may not exceed the sum of
 * others), checked only where every value involved passed its own checks, as the server does.
 */
export function crossFieldErrors(values) {
  var shape = state.shape;
  if (!shape || !shape.rules || !shape.messages) { return []; }
  var byKey = {};
  state.catalogue.indicators.forEach(function (ind) { byKey[ind.key] = ind; });
  // A message names an indicator as the server's messages do (messageLabel: "Arrivals from Hubei", not the
  // row label "of which from Hubei" that only reads under its parent); a shape cached before it had them, by its label.
  var published = {};
  (shape.indicators || []).forEach(function (ind) { published[ind.key] = ind; });
  function name(key) {
    var ind = published[key];
    var text = ind && (state.lang === 'en' ? ind.messageLabelEn : ind.messageLabelZh);
    return text || label(byKey[key]);
  }
  var found = [];
  shape.rules.forEach(function (rule) {
    if (rule.kind !== 'atMostSum' || !byKey[rule.key]) { return; }
    var parts = rule.atMostSumOf || [];
    if (values[rule.key] === undefined || parts.some(function (k) { return values[k] === undefined || !byKey[k]; })) { return; }
    var limit = parts.reduce(function (sum, k) { return sum + values[k]; }, 0);
    if (values[rule.key] <= limit) { return; }
    var texts = shape.messages[rule.message];
    if (!texts) { return; }
    var template = state.lang === 'en' ? (texts.en || texts.zh) : (texts.zh || texts.en);
    found.push({
      field: rule.field,
      message: format(template, [name(rule.key), values[rule.key], parts.map(name).join(' + '), limit])
    });
  });
  return found;
}
