/** Small helpers: the DOM, the device's storage, ids, calendar dates, names in the page's language, the status line. */
import { state } from './state.js';

export function $(id) { return document.getElementById(id); }

export function load(key, fallback) {
  try {
    var raw = window.localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch (e) {
    return fallback;
  }
}

export function save(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    return false;
  }
}

export function remove(key) {
  try { window.localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
}

export function newSubmissionId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  var bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) {
    window.crypto.getRandomValues(bytes);
  } else {
    for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

/** Calendar arithmetic on yyyy-MM-dd strings; no time zone (and no device clock) involved. */
export function addDays(iso, days) {
  var p = iso.split('-');
  var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2] + days));
  return d.getUTCFullYear() + '-' + String(d.getUTCMonth() + 1).padStart(2, '0') + '-' + String(d.getUTCDate()).padStart(2, '0');
}

export function label(item) { return state.lang === 'en' ? item.labelEn : item.labelZh; }

export function unitName() {
  if (!state.me) { return ''; }
  return state.lang === 'en' ? (state.me.scopeNameEn || state.me.scopeNameZh) : (state.me.scopeNameZh || state.me.scopeNameEn);
}

export function countyName() {
  if (!state.me) { return ''; }
  return (state.lang === 'en' ? (state.me.countyNameEn || state.me.countyNameZh) : (state.me.countyNameZh || state.me.countyNameEn)) || '';
}

export function formatTime(isoInstant) {
  try {
    return new Date(isoInstant).toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
  } catch (e) {
    return isoInstant;
  }
}

/** about: what the line is about ('connection' for "cannot reach the server"), so that it can be taken down when that is over. */
export function setStatus(message, kind, about) {
  var el = $('status');
  if (about) { el.setAttribute('data-about', about); } else { el.removeAttribute('data-about'); }
  if (!message) { el.hidden = true; el.textContent = ''; return; }
  el.textContent = message;
  el.className = 'notice' + (kind ? ' notice-' + kind : '');
  el.hidden = false;
}

/** Takes the status line down if it says the server cannot be reached (and only then). */
export function clearConnectionStatus() {
  if ($('status').getAttribute('data-about') === 'connection') { setStatus(''); }
}

export function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, '\\$&');
}
