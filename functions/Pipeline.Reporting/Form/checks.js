/**
 * What the page can tell before sending: a number, its bounds, required fields. The server stays the
 * judge: its messages are shown beside the fields when it refuses a report.
 */
import { $ } from './helpers.js';
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
 * Only what is needed to build a well-formed report is checked here (a number, its bounds, required
 * fields); the rules across fields are the server's, whose messages are shown beside the fields.
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
  return { values: values, errors: errors };
}
