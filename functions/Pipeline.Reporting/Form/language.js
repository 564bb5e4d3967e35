/** Switching between Chinese and English; the choice is kept on the device. */
import { renderCurrent, renderUnit, renderYesterday } from './day.js';
import { relabelFields } from './fields.js';
import { $, save } from './helpers.js';
import { renderPending } from './queue.js';
import { state, STORE } from './state.js';
import { t } from './text.js';

export function applyLanguage() {
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  var nodes = document.querySelectorAll('[data-i18n]');
  for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = t(nodes[i].getAttribute('data-i18n')); }
  var toggle = $('lang-toggle');
  toggle.textContent = t('langToggle');
  toggle.lang = state.lang === 'en' ? 'zh-CN' : 'en';
  toggle.setAttribute('aria-label', state.lang === 'en' ? '切换到中文' : 'Switch to English');
  $('legend-help').textContent = t('legend');
  if (state.catalogue) {
    relabelFields();
    renderYesterday();
  }
  renderUnit();
  renderCurrent();
  renderPending();
  var submit = $('submit');
  if (submit.disabled) { submit.textContent = t('submitting'); }
}

export function toggleLanguage() {
  state.lang = state.lang === 'en' ? 'zh' : 'en';
  save(STORE.lang, state.lang);
  applyLanguage();
}
