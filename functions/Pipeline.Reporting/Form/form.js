/*
 * The reporters' daily form. Plain JavaScript, no build step, nothing fetched from outside the app.
 *
 * - Everything about indicators (labels, groups, kinds, bounds, constraints) comes from GET /api/indicators.
 * - "Today" comes from GET /api/me (the reporting time zone), never from the device clock.
 * - A submit is written to localStorage (with its submissionId) BEFORE it is sent, and leaves the queue
 *   only when the server answers it (2xx, or a 4xx that names what is wrong). Network failures and 5xx
 *   keep it queued; it is retried on the "online" event, periodically and on the next page load.
 *   Replaying a submissionId is harmless: the server returns the stored outcome.
 */
(function () {
  'use strict';

  var STORE = {
    token: 'pipeline.form.token',
    lang: 'pipeline.form.lang',
    queue: 'pipeline.form.pending',
    me: 'pipeline.form.me',
    catalogue: 'pipeline.form.catalogue',
    reporter: 'pipeline.form.reporter',
    draftPrefix: 'pipeline.form.draft.'
  };
  var RETRY_MS = 15000;
  var REQUEST_TIMEOUT_MS = 20000;

  var TEXT = {
    zh: {
      title: '疫情防控工作日报告单',
      langToggle: 'English',
      tokenTitle: '报送令牌',
      tokenHelp: '令牌只需输入一次，会保存在本设备上。',
      tokenLabel: '令牌',
      tokenSave: '保存',
      cancel: '取消',
      tokenChange: '更换令牌',
      tokenEmpty: '请输入令牌。',
      tokenInvalid: '令牌无效或已被撤销，请重新输入。',
      tokenRejectedQueued: '服务器不接受当前令牌，等待发送的报告仍保存在本设备上。请更换令牌。',
      notReporter: '此表单供乡镇报送员使用，当前令牌的角色是“{role}”，不能用它填报。',
      unit: '报送单位',
      county: '所属县市',
      today: '今天',
      reportDate: '报告日期',
      todayMark: '（今天）',
      loading: '正在加载…',
      loadFailed: '无法连接服务器，请检查网络后刷新页面。',
      offlineCached: '暂时无法连接服务器：单位、日期和指标取自上次联网时（{date}）。提交的报告会先保存在本设备上。',
      legend: '带 * 的为必填项。空白表示“未报送”，与填写 0 不同。',
      required: '必填',
      stock: '存量',
      yesterday: '昨日：{value}',
      useYesterday: '填入昨日存量数据',
      yesterdayFilled: '已把昨日的存量数据填入空白栏，请核对后再提交。',
      draftRestored: '已恢复本设备上尚未提交的填写内容。',
      currentReport: '{date} 已报送：第 {revision} 版，回执 {receipt}。修改后再次提交即为更正。',
      otherTitle: '备注与填报人',
      notes: '备注',
      reporterName: '填报人',
      reporterPhone: '联系电话',
      submit: '提交报告',
      submitting: '正在提交…',
      outcomeCreated: '报告已提交',
      outcomeUpdated: '更正已提交',
      outcomeUnchanged: '内容无变化，服务器已有这份报告',
      receipt: '回执编号',
      revision: '版本',
      resultMeta: '{unit} · {date}',
      late: '逾期报送（晚于当天截止时间）',
      warningsTitle: '提示（不影响提交，请核实）',
      pendingTitle: '等待发送',
      pendingHelp: '网络恢复后会自动发送。请不要清除浏览器数据。',
      pendingItem: '{date} · 保存于 {time}',
      pendingWhyNetwork: '无法连接服务器',
      pendingWhyServer: '服务器暂时不可用（{status}）',
      pendingWhyToken: '令牌被拒绝',
      retryNow: '立即重试',
      queued: '暂时无法连接服务器。报告已保存在本设备上，网络恢复后会自动发送。',
      fixErrors: '报告未被接受，请修正标出的错误后再提交。',
      queuedRejected: '一份等待发送的报告（{date}）被服务器拒绝，已放回表单，请修正后再提交。',
      queuedRejectedElsewhere: '一份等待发送的报告（{date}）被服务器拒绝：',
      forbidden: '当前令牌无权为该单位报送。',
      errNumber: '请输入数字',
      errInteger: '请输入整数',
      errDecimals: '最多 {decimals} 位小数',
      errRange: '应在 {min} 到 {max} 之间',
      errRequired: '必填项',
      errLocal: '请修正标出的错误后再提交。',
      storageFull: '无法在本设备上保存报告（存储已满或被禁用）；将直接发送。'
    },
    en: {
      title: 'Daily epidemic-prevention report',
      langToggle: '中文',
      tokenTitle: 'Reporting token',
      tokenHelp: 'Enter the token once; it is kept on this device.',
      tokenLabel: 'Token',
      tokenSave: 'Save',
      cancel: 'Cancel',
      tokenChange: 'Change token',
      tokenEmpty: 'Please enter the token.',
      tokenInvalid: 'The token is not valid or has been revoked. Please enter it again.',
      tokenRejectedQueued: 'The server refused the current token; reports waiting to be sent are still kept on this device. Please change the token.',
      notReporter: 'This form is for township reporters; this token\'s role is "{role}", which cannot report here.',
      unit: 'Unit',
      county: 'County',
      today: 'Today',
      reportDate: 'Report date',
      todayMark: ' (today)',
      loading: 'Loading…',
      loadFailed: 'Cannot reach the server. Check the connection and reload the page.',
      offlineCached: 'Cannot reach the server: the unit, date and indicators are from the last connection ({date}). Reports you submit are kept on this device first.',
      legend: 'Fields marked * are required. A blank field means "not reported", which is not the same as 0.',
      required: 'required',
      stock: 'level',
      yesterday: 'Yesterday: {value}',
      useYesterday: 'Fill in yesterday\'s levels',
      yesterdayFilled: 'Yesterday\'s levels were filled into the empty fields. Please check them before submitting.',
      draftRestored: 'Restored what you had typed on this device but not yet submitted.',
      currentReport: '{date} already reported: revision {revision}, receipt {receipt}. Submitting again makes a correction.',
      otherTitle: 'Notes and reporter',
      notes: 'Notes',
      reporterName: 'Reporter',
      reporterPhone: 'Phone',
      submit: 'Submit report',
      submitting: 'Submitting…',
      outcomeCreated: 'Report submitted',
      outcomeUpdated: 'Correction submitted',
      outcomeUnchanged: 'No change: the server already has this report',
      receipt: 'Receipt',
      revision: 'Revision',
      resultMeta: '{unit} · {date}',
      late: 'Late (received after the day\'s deadline)',
      warningsTitle: 'Please check (the report was accepted)',
      pendingTitle: 'Waiting to send',
      pendingHelp: 'They are sent automatically when the connection returns. Do not clear the browser\'s data.',
      pendingItem: '{date} · saved {time}',
      pendingWhyNetwork: 'cannot reach the server',
      pendingWhyServer: 'server temporarily unavailable ({status})',
      pendingWhyToken: 'token refused',
      retryNow: 'Retry now',
      queued: 'Cannot reach the server. The report is kept on this device and will be sent when the connection returns.',
      fixErrors: 'The report was not accepted. Please correct the marked fields and submit again.',
      queuedRejected: 'A report waiting to be sent ({date}) was refused by the server. It is back in the form: please correct it and submit again.',
      queuedRejectedElsewhere: 'A report waiting to be sent ({date}) was refused by the server:',
      forbidden: 'This token may not report for this unit.',
      errNumber: 'Enter a number',
      errInteger: 'Enter a whole number',
      errDecimals: 'At most {decimals} decimal places',
      errRange: 'Must be between {min} and {max}',
      errRequired: 'Required',
      errLocal: 'Please correct the marked fields before submitting.',
      storageFull: 'Could not keep the report on this device (storage full or disabled); sending it directly.'
    }
  };

  var state = {
    lang: 'zh',
    token: '',
    me: null,
    meFromCache: false,
    catalogue: null,
    date: null,
    yesterday: null,     // report of date - 1, or null
    current: null,       // report of date, or null
    dirty: false,
    flushing: false,
    activeId: null,      // submissionId of the submit made from the form right now
    lastWhy: {},         // submissionId -> why it is still waiting
    retryTimer: null,
    draftTimer: null
  };

  // ---------- small helpers ----------

  function $(id) { return document.getElementById(id); }

  function t(key, args) {
    var s = (TEXT[state.lang] && TEXT[state.lang][key]) || TEXT.zh[key] || key;
    if (args) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) { return args[name] === undefined ? m : String(args[name]); });
    }
    return s;
  }

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function remove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
  }

  function newSubmissionId() {
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
  function addDays(iso, days) {
    var p = iso.split('-');
    var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2] + days));
    return d.getUTCFullYear() + '-' + String(d.getUTCMonth() + 1).padStart(2, '0') + '-' + String(d.getUTCDate()).padStart(2, '0');
  }

  function label(item) { return state.lang === 'en' ? item.labelEn : item.labelZh; }

  function unitName() {
    if (!state.me) { return ''; }
    return state.lang === 'en' ? (state.me.scopeNameEn || state.me.scopeNameZh) : (state.me.scopeNameZh || state.me.scopeNameEn);
  }

  function countyName() {
    if (!state.me) { return ''; }
    return (state.lang === 'en' ? (state.me.countyNameEn || state.me.countyNameZh) : (state.me.countyNameZh || state.me.countyNameEn)) || '';
  }

  function formatTime(isoInstant) {
    try {
      return new Date(isoInstant).toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
    } catch (e) {
      return isoInstant;
    }
  }

  function setStatus(message, kind) {
    var el = $('status');
    if (!message) { el.hidden = true; el.textContent = ''; return; }
    el.textContent = message;
    el.className = 'notice' + (kind ? ' notice-' + kind : '');
    el.hidden = false;
  }

  // ---------- HTTP ----------

  function api(method, path, options) {
    options = options || {};
    var headers = { 'Accept': 'application/json', 'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN' };
    var token = options.token === undefined ? state.token : options.token;
    if (token) { headers.Authorization = 'Bearer ' + token; }
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = null;
    if (controller) {
      init.signal = controller.signal;
      timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        if (text) { try { json = JSON.parse(text); } catch (e) { json = null; } }
        return { status: response.status, ok: response.ok, json: json, headers: response.headers, network: false };
      });
    }, function (error) {
      return { status: 0, ok: false, json: null, headers: null, network: true, error: error };
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    });
  }

  // ---------- language ----------

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) { nodes[i].textContent = t(nodes[i].getAttribute('data-i18n')); }
    var toggle = $('lang-toggle');
    toggle.textContent = t('langToggle');
    toggle.lang = state.lang === 'en' ? 'zh-CN' : 'en';
    toggle.setAttribute('aria-label', state.lang === 'en' ? '切换到中文' : 'Switch to English');
    $('legend-help').textContent = t('legend');
    if (state.catalogue) { relabelFields(); }
    renderUnit();
    renderCurrent();
    renderPending();
    var submit = $('submit');
    if (submit.disabled) { submit.textContent = t('submitting'); }
  }

  function toggleLanguage() {
    state.lang = state.lang === 'en' ? 'zh' : 'en';
    save(STORE.lang, state.lang);
    applyLanguage();
  }

  // ---------- rendering the catalogue ----------

  function indentedKeys(catalogue) {
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

  function buildFields() {
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

  function buildField(ind, isSub) {
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

  function relabelFields() {
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
    renderYesterday();
  }

  // ---------- unit, date, current report ----------

  function renderUnit() {
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

  function renderCurrent() {
    var box = $('current-report');
    if (!state.current) { box.hidden = true; box.textContent = ''; return; }
    box.textContent = t('currentReport', { date: state.current.reportDate, revision: state.current.revision, receipt: state.current.receipt });
    box.hidden = false;
  }

  function renderYesterday() {
    if (!state.catalogue) { return; }
    var any = false;
    state.catalogue.indicators.forEach(function (ind) {
      var hint = document.querySelector('[data-yesterday-for="' + ind.key + '"]');
      if (!hint) { return; }
      var value = ind.kind === 'stock' && state.yesterday && state.yesterday.values ? state.yesterday.values[ind.key] : undefined;
      if (value === undefined || value === null) {
        hint.hidden = true;
        hint.textContent = '';
        $('v-' + ind.key).removeAttribute('placeholder');
        $('v-' + ind.key).removeAttribute('data-yesterday');
        return;
      }
      any = true;
      hint.textContent = t('yesterday', { value: String(value) });
      hint.hidden = false;
      var input = $('v-' + ind.key);
      input.placeholder = String(value);
      input.setAttribute('data-yesterday', String(value));
    });
    $('use-yesterday').hidden = !any;
  }

  function useYesterday() {
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

  // ---------- form values ----------

  function clearForm() {
    var inputs = document.querySelectorAll('#groups input');
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = ''; }
    $('notes').value = '';
  }

  function fillForm(values, notes, reporter) {
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

  function readTexts() {
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

  function normalizeNumber(text) {
    return text
      .replace(/[\uFF10-\uFF19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48); })
      .replace(/[\uFF0E\u3002]/g, '.')
      .replace(/[\s,\uFF0C\u00A0]/g, '');
  }

  function formatBound(n) { return String(n); }

  /**
   * Turns the typed text into numbers; returns { values, errors } with errors keyed like the server's.
   * Only what is needed to build a well-formed report is checked here (a number, its bounds, required
   * fields); the rules across fields are the server's, whose messages are shown beside the fields.
   */
  function collect() {
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

  // ---------- errors and results ----------

  function clearErrors() {
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

  var FIELD_INPUTS = { notes: 'notes', 'reporter.name': 'reporter-name', 'reporter.phone': 'reporter-phone', reportDate: 'report-date' };

  /** Puts each message next to its field; whatever has no field goes to the general area. */
  function showErrors(errors, headline, source) {
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

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, '\\$&');
  }

  function showResult(body, unitLabel) {
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

  // ---------- the queue ----------

  function loadQueue() {
    var q = load(STORE.queue, []);
    return Array.isArray(q) ? q : [];
  }

  function saveQueue(queue) { return save(STORE.queue, queue); }

  function removeFromQueue(id) {
    saveQueue(loadQueue().filter(function (item) { return item.submissionId !== id; }));
  }

  function updateQueued(id, change) {
    saveQueue(loadQueue().map(function (item) {
      if (item.submissionId === id) { Object.keys(change).forEach(function (k) { item[k] = change[k]; }); }
      return item;
    }));
  }

  function renderPending() {
    var queue = loadQueue();
    $('pending-count').textContent = String(queue.length);
    $('pending-section').hidden = queue.length === 0;
    var list = $('pending-list');
    list.textContent = '';
    queue.forEach(function (item) {
      var li = document.createElement('li');
      li.setAttribute('data-submission-id', item.submissionId);
      li.textContent = (item.unitLabel ? item.unitLabel + ' · ' : '') + t('pendingItem', { date: item.body.reportDate, time: formatTime(item.queuedAt) });
      var why = state.lastWhy[item.submissionId];
      if (why) {
        var span = document.createElement('span');
        span.className = 'why';
        span.textContent = why;
        li.appendChild(span);
      }
      list.appendChild(li);
    });
  }

  function scheduleRetry(ms) {
    if (state.retryTimer) { clearTimeout(state.retryTimer); }
    state.retryTimer = null;
    if (!loadQueue().length) { return; }
    state.retryTimer = setTimeout(function () { state.retryTimer = null; flushQueue(); }, ms || RETRY_MS);
  }

  /** Sends one queued report; answers 'done' (left the queue) or 'wait' (still queued). */
  function sendQueued(item) {
    var token = item.token || state.token;
    return api('POST', '/api/reports', { body: item.body, token: token }).then(function (r) {
      if (r.status === 401 && state.token && state.token !== token) {
        // The token it was made with no longer works; the current one may (the server still checks the unit).
        updateQueued(item.submissionId, { token: state.token });
        return api('POST', '/api/reports', { body: item.body, token: state.token });
      }
      return r;
    }).then(function (r) {
      if (r.network) {
        state.lastWhy[item.submissionId] = t('pendingWhyNetwork');
        return { kind: 'wait' };
      }
      if (r.status >= 200 && r.status < 300) {
        removeFromQueue(item.submissionId);
        delete state.lastWhy[item.submissionId];
        onAccepted(item, r.json || {});
        return { kind: 'done' };
      }
      if (r.status === 401) {
        state.lastWhy[item.submissionId] = t('pendingWhyToken');
        setStatus(t('tokenRejectedQueued'), 'error');
        return { kind: 'wait' };
      }
      if (r.status === 408 || r.status === 429 || r.status >= 500) {
        state.lastWhy[item.submissionId] = t('pendingWhyServer', { status: r.status });
        var retryAfter = r.headers && parseInt(r.headers.get('Retry-After'), 10);
        return { kind: 'wait', retryMs: retryAfter > 0 ? Math.min(retryAfter * 1000, 120000) : null };
      }
      // Any other 4xx: the server has looked at it and said what is wrong; resending cannot help.
      removeFromQueue(item.submissionId);
      delete state.lastWhy[item.submissionId];
      onRefused(item, r);
      return { kind: 'done' };
    });
  }

  function flushQueue() {
    if (state.flushing) { return Promise.resolve(); }
    state.flushing = true;
    var queue = loadQueue();
    var waitMs = null;
    var stillWaiting = false;
    // Wait until the page has loaded who the reporter is: an 'online' or 'visibilitychange' event can fire
    // during start-up, and a result shown before then would be lost to the page's own rendering.
    var chain = (state.started || Promise.resolve()).then(null, function () {});
    queue.forEach(function (item) {
      chain = chain.then(function () {
        if (stillWaiting) { return; }   // keep order: a later correction must not overtake an earlier one
        return sendQueued(item).then(function (outcome) {
          if (outcome.kind === 'wait') {
            stillWaiting = true;
            waitMs = outcome.retryMs || null;
            if (item.submissionId === state.activeId) {
              state.activeId = null;
              setStatus(t('queued'), 'warn');
            }
          }
        });
      });
    });
    return chain.then(function () {
      state.flushing = false;
      renderPending();
      if (state.activeId) {
        // The form's own submit is still queued (an older one ahead of it is waiting, or it was never
        // reached): tell the reporter it is kept on the device.
        if (loadQueue().some(function (i) { return i.submissionId === state.activeId; })) { setStatus(t('queued'), 'warn'); }
        state.activeId = null;
      }
      setSubmitting(false);
      scheduleRetry(waitMs);
    }, function () {
      state.flushing = false;
      renderPending();
      setSubmitting(false);
      scheduleRetry();
    });
  }

  function onAccepted(item, body) {
    var isActive = item.submissionId === state.activeId;
    if (isActive) { state.activeId = null; }
    var sameView = state.me && item.body.unitCode === state.me.scope && item.body.reportDate === state.date;
    if (isActive || sameView) {
      clearErrors();
      $('general-errors').hidden = true;
      if (isActive) { setStatus(''); }
      state.current = {
        reportDate: body.reportDate, revision: body.revision, receipt: body.receipt,
        values: item.body.values, notes: item.body.notes, reporter: item.body.reporter
      };
      renderCurrent();
    }
    showResult(body, item.unitLabel);
  }

  function onRefused(item, r) {
    var problem = r.json || {};
    var errors = problem.errors || {};
    if (!problem.errors) {
      var msg = r.status === 403 ? (problem.detail || t('forbidden')) : (problem.detail || problem.title || ('HTTP ' + r.status));
      errors = { general: [msg] };
    }
    var isActive = item.submissionId === state.activeId;
    if (isActive) {
      state.activeId = null;
      setStatus('');
      showErrors(errors, problem.title ? t('fixErrors') : null);
      return;
    }
    // A report sent from the queue later on: put it back in the form if the form shows the same unit and
    // nothing else has been typed there, so that nothing the reporter entered is lost.
    var canRestore = state.me && item.body.unitCode === state.me.scope && !state.dirty && state.catalogue;
    if (canRestore) {
      var restore = function () {
        fillForm(item.body.values, item.body.notes, item.body.reporter);
        showErrors(errors, t('queuedRejected', { date: item.body.reportDate }));
      };
      if (item.body.reportDate !== state.date) {
        state.date = item.body.reportDate;
        $('report-date').value = state.date;
        loadDay(true).then(restore);
      } else {
        restore();
      }
    } else {
      var flat = [];
      Object.keys(errors).forEach(function (k) { [].concat(errors[k]).forEach(function (m) { flat.push((k === 'general' ? '' : k + ': ') + m); }); });
      showErrors({ general: flat }, t('queuedRejectedElsewhere', { date: item.body.reportDate }));
    }
  }

  function setSubmitting(on) {
    var b = $('submit');
    b.disabled = !!on;
    b.textContent = t(on ? 'submitting' : 'submit');
  }

  function submitReport(event) {
    event.preventDefault();
    if (!state.me || !state.catalogue || $('submit').disabled) { return; }
    setStatus('');
    $('result').hidden = true;
    var collected = collect();
    if (Object.keys(collected.errors).length) {
      showErrors(collected.errors, t('errLocal'), 'client');
      return;
    }
    clearErrors();
    $('general-errors').hidden = true;
    var texts = readTexts();
    var item = {
      submissionId: newSubmissionId(),
      token: state.token,
      unitLabel: unitName(),
      queuedAt: new Date().toISOString(),
      body: {
        unitCode: state.me.scope,
        reportDate: state.date,
        submissionId: null,
        values: collected.values,
        notes: texts.notes,
        reporter: { name: texts.name.trim(), phone: texts.phone.trim() }
      }
    };
    item.body.submissionId = item.submissionId;
    save(STORE.reporter, item.body.reporter);
    // Kept on the device before anything goes on the wire.
    var queue = loadQueue();
    queue.push(item);
    if (!saveQueue(queue)) { setStatus(t('storageFull'), 'warn'); }
    remove(draftKey());
    state.dirty = false;
    state.activeId = item.submissionId;
    setSubmitting(true);
    renderPending();
    if (!loadQueue().some(function (i) { return i.submissionId === item.submissionId; })) {
      // Storage refused it: send it directly, once, without the queue.
      sendQueued(item).then(function (outcome) {
        if (outcome.kind === 'wait') { setStatus(t('storageFull'), 'error'); }
        setSubmitting(false);
        renderPending();
      });
      return;
    }
    if (state.flushing) {
      // Another flush is running; it will not pick this one up, so run one more right after.
      var wait = function () { if (state.flushing) { setTimeout(wait, 200); } else { flushQueue(); } };
      wait();
    } else {
      flushQueue();
    }
  }

  // ---------- drafts ----------

  function draftKey() { return STORE.draftPrefix + (state.me ? state.me.scope : '') + '.' + state.date; }

  function markDirty() {
    state.dirty = true;
    if (state.draftTimer) { clearTimeout(state.draftTimer); }
    state.draftTimer = setTimeout(function () {
      state.draftTimer = null;
      if (state.dirty) { save(draftKey(), readTexts()); }
    }, 400);
  }

  // ---------- loading ----------

  function loadDay(quiet) {
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

  function showTokenSection(message) {
    $('token-section').hidden = false;
    $('token-cancel').hidden = !state.token;
    var err = $('token-error');
    err.textContent = message || '';
    err.hidden = !message;
    $('token-input').value = '';
    $('token-input').focus();
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
      setStatus(offline ? t('offlineCached', { date: state.me.today }) : '', offline ? 'warn' : null);
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
    state.started = start();
    state.started.then(function () { flushQueue(); }, function () { flushQueue(); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
