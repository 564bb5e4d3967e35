// The officials' console: who has reported, whom to call, the day's reports, rollups and reporters' links.
// Everything it shows comes from the API with the official's token, which lives in sessionStorage only.
'use strict';
(() => {
  const TOKEN_KEY = 'console.token';
  const LANG_KEY = 'console.lang';
  const ROOT = '623000';

  const text = {
    zh: {
      title: '疫情防控工作台', signOut: '退出', signInTitle: '登录', token: '令牌', signIn: '登录',
      signInHelp: '请输入县、州下发的令牌。令牌只保存在本浏览器标签页中，关闭或退出后即清除。',
      tabBoard: '报送情况', tabReports: '报告', tabRollups: '汇总', tabTokens: '填报员',
      date: '日期', county: '县（市）', allCounties: '全州', refresh: '刷新', township: '乡镇（街道）',
      expected: '应报', reported: '已报', onTime: '按时', late: '迟报', missing: '未报', exempt: '免报', total: '合计',
      status: '状态', receivedAt: '收到时间', revision: '版本', warnings: '提示', contact: '联系人',
      readOnlyDay: '此日期已超出更正期限，只能查看。', remindersTitle: '提醒记录',
      enterTitle: '代填报告', enterHelp: '电话或纸质报送的报告，由您代为录入。校验规则与乡镇填报相同，版本会记录为官员录入。',
      notes: '备注', reporterName: '报送人', reporterPhone: '联系电话', submit: '提交', cancel: '取消',
      exemptTitle: '免报', exemptHelp: '免报的乡镇在这些日期不计入应报单位。', from: '开始日期', to: '结束日期', reason: '原因',
      markExempt: '设为免报', removeExempt: '取消免报', show: '查看', state: '状态', completeness: '完成情况', files: '文件',
      issueTitle: '为乡镇发放填报链接', issueHelp: '每个链接只能使用一次，并在有效期后失效；链接中不含令牌。',
      contactName: '联系人', contactPhone: '联系电话', issueOne: '发放链接', issueAll: '为所有没有令牌的乡镇发放',
      print: '打印', sheetHelp: '链接只显示这一次，请现在打印或发送。', tokensTitle: '已发放的令牌', scope: '范围', role: '角色',
      createdAt: '发放时间', lastUsedAt: '最近使用', tokenNote: '说明',
      stMissing: '未报', stLate: '迟报', stOnTime: '已报', stExempt: '免报',
      viewReport: '查看报告', enterReport: '代填', markExemptShort: '免报', unexempt: '取消免报',
      updatedAt: '更新于 {0}', offlineKept: '无法连接服务器，显示的是 {0} 的数据。', never: '从未',
      badToken: '令牌无效或已被撤销，请核对后重新输入。', reporterToken: '这是乡镇填报员的令牌，请使用填报页面：',
      formLink: '打开填报页面', storageDown: '服务器暂时无法读写数据，请稍后再试。', offline: '无法连接服务器，请检查网络。',
      forbidden: '无权查看：', enrolling: '正在登记……', enrolled: '登记成功，已登录。', signedOut: '已退出。',
      noReport: '此乡镇当天还没有报告。', revisionN: '第 {0} 版', receipt: '回执', enteredBy: '录入', byOfficial: '官员代填',
      byReporter: '乡镇填报', byAdmin: '管理员', absent: '—', lateYes: '迟报', saved: '已保存：第 {0} 版，回执 {1}。',
      exemptSaved: '已设为免报。', exemptRemoved: '已取消免报。', fixErrors: '请修改标出的内容。',
      noRollups: '所选期间还没有生成汇总。', rollupsUnavailable: '暂时无法查看本辖区的汇总：', stale: '待更新', current: '最新',
      rebuild: '重新生成', rebuilt: '已重新生成：第 {0} 版。', reportedOf: '已报 {0}/{1}', download: '下载',
      issued: '已发放 {0} 个链接。', issuedNone: '所有乡镇都已有令牌。', sheetTitle: '{0} 填报链接', code: '代码', expires: '链接有效期至 {0}',
      revoke: '撤销', confirmRevoke: '确认撤销？', revoked: '令牌已撤销。', noTokens: '还没有发放令牌。',
      roleReporter: '填报员', roleOfficial: '官员', roleAdmin: '管理员', issueRole: '角色', phone: '电话',
      remindersStatus: { pending: '待发送', sent: '已发送', failed: '失败' }, cutoff: '时间点', townIn: '{0} · {1}',
    },
    en: {
      title: "Officials' console", signOut: 'Sign out', signInTitle: 'Sign in', token: 'Token', signIn: 'Sign in',
      signInHelp: 'Enter the token your county or prefecture gave you. It is kept in this browser tab only and forgotten when you close it or sign out.',
      tabBoard: 'Who has reported', tabReports: 'Reports', tabRollups: 'Rollups', tabTokens: 'Reporters',
      date: 'Date', county: 'County', allCounties: 'Whole prefecture', refresh: 'Refresh', township: 'Township',
      expected: 'Expected', reported: 'Reported', onTime: 'On time', late: 'Late', missing: 'Missing', exempt: 'Exempt', total: 'Total',
      status: 'Status', receivedAt: 'Received', revision: 'Revision', warnings: 'Warnings', contact: 'Contact',
      readOnlyDay: 'This day is past the correction window: read only.', remindersTitle: 'Reminder log',
      enterTitle: 'Enter a report', enterHelp: 'A report phoned in or on paper, entered by you. The same rules apply; the revision records that an official entered it.',
      notes: 'Notes', reporterName: 'Reported by', reporterPhone: 'Phone', submit: 'Submit', cancel: 'Cancel',
      exemptTitle: 'Exempt', exemptHelp: 'An exempt township is not expected to report on these days.', from: 'From', to: 'To', reason: 'Reason',
      markExempt: 'Mark exempt', removeExempt: 'Remove exemption', show: 'Show', state: 'State', completeness: 'Completeness', files: 'Files',
      issueTitle: 'Give townships their reporting link', issueHelp: 'Each link works once and expires; it never contains the token.',
      contactName: 'Contact', contactPhone: 'Contact phone', issueOne: 'Issue link', issueAll: 'Issue for every township without a token',
      print: 'Print', sheetHelp: 'These links are shown only now: print or send them now.', tokensTitle: 'Issued tokens', scope: 'Scope', role: 'Role',
      createdAt: 'Issued', lastUsedAt: 'Last used', tokenNote: 'Note',
      stMissing: 'Missing', stLate: 'Late', stOnTime: 'Reported', stExempt: 'Exempt',
      viewReport: 'Report', enterReport: 'Enter', markExemptShort: 'Exempt', unexempt: 'Unexempt',
      updatedAt: 'Updated {0}', offlineKept: 'The server cannot be reached; showing the data of {0}.', never: 'never',
      badToken: 'This token is not valid or has been revoked. Check it and enter it again.', reporterToken: 'This is a township reporter token; use the reporting form:',
      formLink: 'Open the form', storageDown: 'The server cannot read or store data just now; try again shortly.', offline: 'The server cannot be reached; check the connection.',
      forbidden: 'Not allowed: ', enrolling: 'Enrolling…', enrolled: 'Enrolled and signed in.', signedOut: 'Signed out.',
      noReport: 'This township has no report for that day yet.', revisionN: 'Revision {0}', receipt: 'Receipt', enteredBy: 'Entered', byOfficial: 'by an official',
      byReporter: 'by the township', byAdmin: 'by an admin', absent: '—', lateYes: 'late', saved: 'Saved: revision {0}, receipt {1}.',
      exemptSaved: 'Marked exempt.', exemptRemoved: 'Exemption removed.', fixErrors: 'Please correct the marked fields.',
      noRollups: 'No rollup has been built in this period.', rollupsUnavailable: 'Rollups of this scope cannot be shown: ', stale: 'stale', current: 'current',
      rebuild: 'Rebuild', rebuilt: 'Rebuilt: revision {0}.', reportedOf: '{0}/{1} reported', download: 'Download',
      issued: '{0} link(s) issued.', issuedNone: 'Every township already has a token.', sheetTitle: '{0}: reporting links', code: 'Code', expires: 'Link valid until {0}',
      revoke: 'Revoke', confirmRevoke: 'Really revoke?', revoked: 'Token revoked.', noTokens: 'No tokens issued yet.',
      roleReporter: 'reporter', roleOfficial: 'official', roleAdmin: 'admin', issueRole: 'Role', phone: 'Phone',
      remindersStatus: { pending: 'pending', sent: 'sent', failed: 'failed' }, cutoff: 'Cutoff', townIn: '{0} · {1}',
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = {
    // Chinese unless the official chose English here before (as the form does): browsers' language is often English on office PCs.
    lang: localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh',
    token: sessionStorage.getItem(TOKEN_KEY),
    me: null, root: null, byCode: new Map(), catalogue: null,
    board: null, boardKey: null, etag: null, boardAt: null, timer: null, refreshSeconds: 60, timeZone: undefined,
    tab: 'board', enter: null, exempt: null, revokeArmed: null,
  };

  const t = (key, ...args) => {
    const value = text[state.lang][key] ?? text.zh[key] ?? key;
    return typeof value === 'string' ? value.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? '')) : value;
  };
  /** A cell's name for the phone's cards (table.cards in console.css), where the header row is hidden. */
  const label = (key) => ({ 'data-label': t(key) });
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k in node && typeof v !== 'string') node[k] = v;
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    return node;
  };
  const unitName = (u) => (u ? (state.lang === 'en' && u.nameEn ? u.nameEn : u.nameZh) : '');
  const nameOf = (code) => unitName(state.byCode.get(code)) || code;

  /** yyyy-MM-dd HH:mm in the reporting time zone: the expiry printed on a QR sheet must not be ambiguous. */
  function formatDateTime(iso) {
    if (!iso) return '';
    try {
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: state.timeZone,
      }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
      return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
    } catch { return iso; }
  }

  function formatTime(iso, withDate) {
    if (!iso) return '';
    const options = { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: state.timeZone };
    if (withDate) Object.assign(options, { month: '2-digit', day: '2-digit' });
    try { return new Intl.DateTimeFormat(state.lang === 'en' ? 'en-GB' : 'zh-CN', options).format(new Date(iso)); } catch { return iso; }
  }

  // ---- status line ----
  function say(message, kind = '', extra) {
    const status = $('status');
    status.replaceChildren(message);
    if (extra) status.append(' ', extra);
    status.className = 'notice no-print' + (kind ? ' notice-' + kind : '');
    status.hidden = !message;
  }

  /** A readable sentence for a failed call: the server's problem+json detail, or what went wrong on the way. */
  function problemText(res) {
    if (res.status === 0) return t('offline');
    if (res.status === 503) return t('storageDown');
    const p = res.body || {};
    const fields = p.errors ? Object.values(p.errors).flat().join('；') : '';
    return [p.title, p.detail, fields].filter(Boolean).join(' — ') || ('HTTP ' + res.status);
  }

  // ---- the API ----
  async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
    const h = { 'Accept-Language': state.lang === 'en' ? 'en' : 'zh-CN', ...headers };
    if (state.token) h.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch {
      return { status: 0, ok: false, body: null, headers: new Headers() };
    }
    if (raw) return { status: response.status, ok: response.ok, response, headers: response.headers };
    let parsed = null;
    if (response.status !== 204 && response.status !== 304) {
      try { parsed = await response.json(); } catch { parsed = null; }
    }
    if (response.status === 401 && state.me) {
      signOut(t('badToken'), 'error');
    }
    return { status: response.status, ok: response.ok, body: parsed, headers: response.headers };
  }

  // ---- language ----
  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('lang-toggle').textContent = state.lang === 'en' ? '中文' : 'English';
    $('lang-toggle').lang = state.lang === 'en' ? 'zh-CN' : 'en';
  }

  // ---- signing in and out ----
  async function signIn(token) {
    state.token = token;
    const me = await api('/api/me');
    if (!me.ok) {
      state.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(me.status === 401 ? t('badToken') : problemText(me));
      return false;
    }
    if (me.body.role === 'reporter') {
      state.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(t('reporterToken'), el('a', { href: '/api/form' }, t('formLink')));
      return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    state.me = me.body;
    say('');
    await loadReferenceData();
    $('signin').hidden = true;
    $('tabs').hidden = false;
    $('sign-out').hidden = false;
    $('who').textContent = `${nameOf(state.me.scope)} · ${t('role' + state.me.role[0].toUpperCase() + state.me.role.slice(1))}`;
    setupPickers();
    showTab('board');
    return true;
  }

  function showSignIn(message, extra) {
    $('signin').hidden = false;
    $('tabs').hidden = true;
    for (const view of document.querySelectorAll('.view')) view.hidden = true;
    const error = $('signin-error');
    error.replaceChildren(message || '');
    if (extra) error.append(' ', extra);
    error.hidden = !message;
  }

  function signOut(message, kind) {
    sessionStorage.removeItem(TOKEN_KEY);
    Object.assign(state, { token: null, me: null, board: null, boardKey: null, etag: null, boardAt: null });
    clearInterval(state.timer);
    $('sign-out').hidden = true;
    $('who').textContent = '';
    $('token-input').value = '';
    $('sheet-cards').replaceChildren();
    $('sheet').hidden = true;
    showSignIn(kind === 'error' ? message : '');
    say(kind === 'error' ? '' : message || '', kind);
  }

  /** A link with #enrol=CODE: exchange the code for a token once, forget the fragment at once, sign in. */
  async function enrolFromFragment() {
    const match = /^#enrol=([A-Za-z0-9_-]{1,64})$/.exec(location.hash);
    if (!match) return false;
    history.replaceState(null, '', location.pathname);
    say(t('enrolling'));
    const res = await api('/api/enrol', { method: 'POST', body: { code: match[1] } });
    if (!res.ok) {
      say('');
      showSignIn(problemText(res));
      return true;
    }
    if (await signIn(res.body.token)) say(t('enrolled'), 'ok');
    return true;
  }

  async function loadReferenceData() {
    if (state.root) return;
    const [units, catalogue] = await Promise.all([api('/api/units'), api('/api/indicators')]);
    if (!units.ok || !catalogue.ok) throw new Error(problemText(units.ok ? catalogue : units));
    state.root = units.body;
    state.catalogue = catalogue.body;
    const walk = (u, parent) => { state.byCode.set(u.code, { ...u, parent }); (u.children || []).forEach((c) => walk(c, u.code)); };
    walk(state.root, null);
  }

  const isWithin = (code, scope) => {
    for (let u = state.byCode.get(code); u; u = state.byCode.get(u.parent)) if (u.code === scope) return true;
    return false;
  };
  const countiesInScope = () => (state.root.children || []).filter((c) => isWithin(c.code, state.me.scope));
  const townshipsIn = (scope) => [...state.byCode.values()].filter((u) => u.level === 'township' && isWithin(u.code, scope)).sort((a, b) => a.code.localeCompare(b.code));
  const isAdmin = () => state.me.role === 'admin';
  const seesPrefecture = () => isAdmin() || state.me.scope === ROOT;
  /**
   * A unit's name, with its county's when it is a township shown to whoever sees more than one county: 临潭县 and 舟曲县
   * each have a 城关镇. A county official sees one county, and the township's name alone.
   */
  const placeName = (code) => {
    const unit = state.byCode.get(code);
    return unit?.level === 'township' && seesPrefecture() ? t('townIn', unitName(unit), nameOf(unit.parent)) : nameOf(code);
  };

  /** Only what the caller may see: a county official's pickers hold its own county and its townships, nothing else. */
  function setupPickers() {
    const county = $('board-county');
    county.replaceChildren();
    if (seesPrefecture()) county.append(el('option', { value: ROOT }, t('allCounties')));
    for (const c of countiesInScope()) county.append(el('option', { value: c.code }, unitName(c)));
    $('board-county-label').hidden = !seesPrefecture();
    for (const id of ['board-date', 'reports-date']) { $(id).value = $(id).value || state.me.today; $(id).max = state.me.today; }
    fillTownships($('reports-unit'), state.me.scope);
    fillTownships($('issue-unit'), state.me.scope);
  }

  function fillTownships(select, scope) {
    const keep = select.value;
    select.replaceChildren();
    for (const county of countiesInScope()) {
      const group = el('optgroup', { label: unitName(county) });
      for (const town of townshipsIn(county.code)) group.append(el('option', { value: town.code }, `${placeName(town.code)} (${town.code})`));
      select.append(group);
    }
    if (keep) select.value = keep;
  }

  // ---- tabs ----
  function showTab(tab) {
    state.tab = tab;
    for (const button of document.querySelectorAll('.tab')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== 'view-' + tab;
    clearInterval(state.timer);
    if (tab === 'board') {
      loadBoard();
      state.timer = setInterval(loadBoard, state.refreshSeconds * 1000);
    } else if (tab === 'rollups') loadRollups();
    else if (tab === 'tokens') loadTokens();
  }

  // ---- the board ----
  async function loadBoard() {
    if (!state.me) return;
    const date = $('board-date').value || state.me.today;
    const scope = seesPrefecture() ? $('board-county').value || state.me.scope : state.me.scope;
    const key = date + '|' + scope + '|' + state.lang;
    const headers = key === state.boardKey && state.etag ? { 'If-None-Match': state.etag } : {};
    const res = await api(`/api/board/${date}?scope=${scope}`, { headers });
    if (res.status === 304) {
      state.boardAt = new Date();
      renderBoardStatus(null);
      return;
    }
    if (!res.ok) {
      if (res.status === 401) return;
      if (key === state.boardKey && state.board) renderBoardStatus(res);
      else { state.board = null; $('board-units').tBodies[0].replaceChildren(); $('board-counties').tBodies[0].replaceChildren(); say(problemText(res), 'error'); }
      return;
    }
    Object.assign(state, { board: res.body, boardKey: key, etag: res.headers.get('ETag'), boardAt: new Date(), timeZone: res.body.timeZone || state.timeZone });
    if (res.body.refreshSeconds && res.body.refreshSeconds !== state.refreshSeconds && state.tab === 'board') {
      state.refreshSeconds = res.body.refreshSeconds;
      clearInterval(state.timer);
      state.timer = setInterval(loadBoard, state.refreshSeconds * 1000);
    }
    if ($('status').classList.contains('notice-error')) say('');
    renderBoard();
    renderBoardStatus(null);
    loadReminders(date);
  }

  function renderBoardStatus(failure) {
    const at = state.boardAt ? formatTime(state.boardAt.toISOString()) + ':' + String(state.boardAt.getSeconds()).padStart(2, '0') : '';
    $('board-updated').textContent = at ? t('updatedAt', at) : '';
    const offline = $('board-offline');
    offline.hidden = !failure;
    if (failure) offline.textContent = t('offlineKept', at) + ' ' + problemText(failure);
  }

  function renderBoard() {
    const b = state.board;
    $('board-readonly').hidden = b.editable;
    const countyRow = (c, cls) => el('tr', { class: cls },
      el('td', {}, c.name), ...['expected', 'reported', 'onTime', 'late', 'missing', 'exempt'].map((k) => el('td', { class: 'num' }, c[k])));
    const rows = b.counties.map((c) => countyRow(c));
    if (b.counties.length > 1) rows.push(countyRow({ ...b.total, name: t('total') }, 'total'));
    $('board-counties').tBodies[0].replaceChildren(...rows);

    $('board-units').tBodies[0].replaceChildren(...b.units.map((u) => {
      const badge = el('span', { class: 'badge badge-' + u.status }, t('st' + u.status[0].toUpperCase() + u.status.slice(1)));
      const statusCell = el('td', label('status'), badge,
        u.exemption ? el('div', { class: 'muted' }, u.exemption.reason) : null,
        u.enteredBy === 'official' ? el('div', { class: 'muted' }, t('byOfficial')) : null);
      const contact = el('td', label('contact'), u.contactName || '',
        u.contactPhone ? [' ', el('a', { class: 'tel', href: 'tel:' + u.contactPhone.replace(/\s/g, '') }, u.contactPhone)] : null);
      const actions = el('td', { class: 'no-print' }, el('div', { class: 'actions' },
        u.revision ? el('button', { type: 'button', class: 'btn-link', onclick: () => openReports(u.code, b.date) }, t('viewReport')) : null,
        b.editable ? el('button', { type: 'button', class: 'btn-link', dataset: { enter: u.code }, onclick: () => openEnter(u) }, t('enterReport')) : null,
        b.editable && u.status !== 'onTime' && u.status !== 'late'
          ? el('button', { type: 'button', class: 'btn-link', dataset: { exempt: u.code }, onclick: () => openExempt(u) }, u.exemption ? t('unexempt') : t('markExemptShort'))
          : null));
      return el('tr', { dataset: { unit: u.code, status: u.status } },
        el('td', {}, el('strong', {}, placeName(u.code)), ' ', el('span', { class: 'muted' }, u.code)),
        statusCell,
        el('td', label('receivedAt'), formatTime(u.receivedAt, u.receivedAt && u.receivedAt.slice(0, 10) !== b.date)),
        el('td', label('revision'), u.revision ?? ''),
        el('td', label('warnings'), u.warnings.length ? el('ul', { class: 'warning-list' }, u.warnings.map((w) => el('li', {}, w.message))) : ''),
        contact, actions);
    }));
  }

  async function loadReminders(date) {
    const res = await api(`/api/reminders/${date}`);
    const panel = $('reminders');
    if (!res.ok || !Array.isArray(res.body) || res.body.length === 0) { panel.hidden = true; return; }
    const status = t('remindersStatus');
    $('reminder-list').replaceChildren(...res.body.map((r) => el('li', {},
      `${r.cutoff} · ${nameOf(r.scope)} · ${r.kind} · ${status[r.status] || r.status}`,
      r.sentAt ? ` · ${formatTime(r.sentAt)}` : '',
      r.status === 'failed' && r.error ? ` · ${r.error} (${r.attempts})` : '',
      Array.isArray(r.missing) ? ` · ${t('missing')} ${r.missing.length}` : '')));
    panel.hidden = false;
  }

  // ---- a report phoned in ----
  async function openEnter(unit) {
    state.enter = { unit: unit.code, date: state.board.date };
    $('enter-unit').textContent = placeName(unit.code);
    $('enter-date').textContent = state.board.date;
    const fields = $('enter-fields');
    fields.replaceChildren(...state.catalogue.indicators.map((i) => el('div', { class: 'field' },
      el('label', { for: 'e-' + i.key }, (state.lang === 'en' ? i.labelEn : i.labelZh) + (i.required ? ' *' : '')),
      el('input', { id: 'e-' + i.key, inputmode: i.bounds.decimals ? 'decimal' : 'numeric', autocomplete: 'off', dataset: { key: i.key } }),
      el('p', { class: 'field-error', dataset: { errorFor: 'values.' + i.key }, hidden: true }))));
    for (const id of ['enter-notes', 'enter-reporter-name', 'enter-reporter-phone']) $(id).value = '';
    clearErrors($('enter-form'));
    const current = unit.revision ? await api(`/api/reports/${state.board.date}/${unit.code}`) : null;
    if (current && current.ok) {
      for (const [k, v] of Object.entries(current.body.values || {})) { const input = $('e-' + k); if (input) input.value = v; }
      $('enter-notes').value = current.body.notes || '';
      $('enter-reporter-name').value = current.body.reporter?.name || '';
      $('enter-reporter-phone').value = current.body.reporter?.phone || '';
    } else if (unit.contactName || unit.contactPhone) {
      $('enter-reporter-name').value = unit.contactName || '';
      $('enter-reporter-phone').value = unit.contactPhone || '';
    }
    for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== 'view-enter';
    clearInterval(state.timer);
    $('e-' + state.catalogue.indicators[0].key).focus();
  }

  function clearErrors(form) {
    for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
    for (const i of form.querySelectorAll('.invalid')) i.classList.remove('invalid');
    const general = form.querySelector('#general-errors');
    if (general) general.hidden = true;
  }

  /** Puts each field error under its field; what has no field goes to the form's top. */
  function showErrors(form, problem) {
    const left = [];
    for (const [field, messages] of Object.entries(problem?.errors || {})) {
      const target = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
      if (target) {
        target.textContent = messages.join(' ');
        target.hidden = false;
        target.previousElementSibling?.classList?.add('invalid');
      } else left.push(...messages);
    }
    return left;
  }

  function submissionId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function submitEnter(event) {
    event.preventDefault();
    const form = $('enter-form');
    clearErrors(form);
    const values = {};
    for (const input of form.querySelectorAll('[data-key]')) {
      const raw = input.value.trim();
      if (raw !== '') values[input.dataset.key] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    }
    const body = {
      unitCode: state.enter.unit, reportDate: state.enter.date, submissionId: submissionId(), values,
      notes: $('enter-notes').value, reporter: { name: $('enter-reporter-name').value.trim(), phone: $('enter-reporter-phone').value.trim() },
    };
    $('enter-submit').disabled = true;
    const res = await api('/api/reports', { method: 'POST', body });
    $('enter-submit').disabled = false;
    if (res.ok) {
      say(t('saved', res.body.revision, res.body.receipt), 'ok');
      showTab('board');
      return;
    }
    if (res.status === 400 && res.body?.errors) {
      const left = showErrors(form, res.body);
      const general = $('general-errors');
      general.textContent = [t('fixErrors'), ...left].join(' ');
      general.hidden = false;
      return;
    }
    say(problemText(res), 'error');
  }

  // ---- exemptions ----
  function openExempt(unit) {
    state.exempt = unit;
    $('exempt-unit').textContent = placeName(unit.code);
    $('exempt-from').value = unit.exemption?.from || state.board.date;
    $('exempt-to').value = unit.exemption?.to || state.board.date;
    $('exempt-reason').value = unit.exemption?.reason || '';
    $('exempt-remove').hidden = !unit.exemption;
    clearErrors($('exempt-form'));
    for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== 'view-exempt';
    clearInterval(state.timer);
    $('exempt-reason').focus();
  }

  async function submitExempt(event) {
    event.preventDefault();
    const form = $('exempt-form');
    clearErrors(form);
    const res = await api('/api/exemptions', { method: 'POST', body: {
      unitCode: state.exempt.code, from: $('exempt-from').value, to: $('exempt-to').value, reason: $('exempt-reason').value.trim() } });
    if (res.ok) { say(t('exemptSaved'), 'ok'); showTab('board'); return; }
    if (res.status === 400 && res.body?.errors) { const left = showErrors(form, res.body); if (left.length) say(left.join(' '), 'error'); return; }
    say(problemText(res), 'error');
  }

  async function removeExempt() {
    const res = await api(`/api/exemptions/${state.exempt.code}/${state.exempt.exemption.from}`, { method: 'DELETE' });
    if (res.ok) { say(t('exemptRemoved'), 'ok'); showTab('board'); } else say(problemText(res), 'error');
  }

  // ---- a township's day, every revision side by side ----
  function openReports(unit, date) {
    $('reports-unit').value = unit;
    $('reports-date').value = date;
    showTab('reports');
    loadRevisions();
  }

  async function loadRevisions() {
    const unit = $('reports-unit').value;
    const date = $('reports-date').value;
    const table = $('revisions');
    const empty = $('reports-empty');
    if (!unit || !date) return;
    const res = await api(`/api/reports/${date}/${unit}/revisions`);
    if (!res.ok || !Array.isArray(res.body) || res.body.length === 0) {
      table.hidden = true;
      empty.textContent = res.status === 404 || (res.ok && res.body.length === 0) ? t('noReport') : problemText(res);
      empty.className = 'notice' + (res.status === 404 || res.ok ? '' : ' notice-error');
      empty.hidden = false;
      return;
    }
    empty.hidden = true;
    const revs = res.body;
    const who = (r) => ({ official: t('byOfficial'), admin: t('byAdmin'), reporter: t('byReporter') }[r.enteredBy] || '');
    table.tHead.replaceChildren(el('tr', {}, el('th', {}, placeName(unit) + ' ' + date), revs.map((r) => el('th', {}, t('revisionN', r.revision)))));
    const row = (label, cells) => el('tr', {}, el('th', {}, label), cells);
    const plain = (f) => revs.map((r) => el('td', {}, f(r)));
    const body = [
      row(t('receivedAt'), plain((r) => formatTime(r.receivedAt, true) + (r.late ? ' · ' + t('lateYes') : ''))),
      row(t('receipt'), plain((r) => r.receipt)),
      row(t('reporterName'), plain((r) => [r.reporter?.name, r.reporter?.phone].filter(Boolean).join(' '))),
      row(t('enteredBy'), plain(who)),
    ];
    const keys = state.catalogue.indicators.filter((i) => revs.some((r) => r.values && i.key in r.values));
    for (const i of keys) {
      body.push(row(state.lang === 'en' ? i.labelEn : i.labelZh, revs.map((r, n) => {
        const has = i.key in (r.values || {});
        const changed = n > 0 && revs[n - 1].values?.[i.key] !== r.values?.[i.key];
        return el('td', { class: 'num' + (changed ? ' changed' : '') + (has ? '' : ' absent') }, has ? r.values[i.key] : t('absent'));
      })));
    }
    body.push(row(t('notes'), revs.map((r, n) => el('td', { class: n > 0 && revs[n - 1].notes !== r.notes ? 'changed' : '' }, r.notes || ''))));
    body.push(row(t('warnings'), plain((r) => (r.warnings || []).map((w) => w.message).join('；'))));
    table.tBodies[0].replaceChildren(...body);
    table.hidden = false;
  }

  // ---- rollups ----
  const rollupScope = () => (seesPrefecture() ? ($('board-county').value || ROOT) : state.me.scope);
  const scopeQuery = (scope, sep) => (scope && scope !== ROOT ? `${sep}scope=${scope}` : '');

  async function loadRollups() {
    const scope = rollupScope();
    const message = $('rollups-message');
    const table = $('rollups');
    // Rows of an earlier load (another official's, before a sign-out) never stay on screen, and of two loads in
    // flight only the newer one is shown: a click always lands on the rows the official is looking at.
    const load = (state.rollupsLoad = (state.rollupsLoad || 0) + 1);
    table.tBodies[0].replaceChildren();
    const res = await api('/api/rollups' + scopeQuery(scope, '?'));
    if (load !== state.rollupsLoad) return;
    if (!res.ok) {
      table.hidden = true;
      message.textContent = t('rollupsUnavailable') + problemText(res);
      message.className = 'notice notice-error';
      message.hidden = false;
      return;
    }
    const list = Array.isArray(res.body) ? res.body : res.body.items || res.body.rollups || [];
    message.hidden = list.length > 0;
    message.className = 'notice';
    message.textContent = t('noRollups');
    table.hidden = list.length === 0;
    table.tBodies[0].replaceChildren(...list.map((m) => rollupRow(m, scope)));
  }

  function rollupRow(manifest, scope) {
    const files = el('div', { class: 'files' });
    const completeness = el('span');
    const stateCell = el('span');
    const revision = el('select', { 'aria-label': t('revision') });
    for (let r = manifest.revision; r >= 1; r--) revision.append(el('option', { value: r }, t('revisionN', r)));
    const show = (m) => {
      stateCell.replaceChildren(m.stale ? el('span', { class: 'badge badge-stale' }, t('stale')) : el('span', { class: 'badge badge-onTime' }, t('current')));
      const c = m.completeness || {};
      completeness.textContent = t('reportedOf', c.reported ?? '', c.expected ?? '');
      files.replaceChildren(...(m.files || []).map((f) => el('button', {
        type: 'button', class: 'btn btn-small', dataset: { file: f.name, revision: m.revision }, title: `${f.bytes} B`,
        onclick: () => download(f.url, rollupFileName(m, f.name)),
      }, f.format.toUpperCase())));
    };
    revision.addEventListener('change', async () => {
      const res = await api(`/api/rollups/${manifest.date}?revision=${revision.value}${scopeQuery(scope, '&')}`);
      if (res.ok) show(res.body); else say(problemText(res), 'error');
    });
    show(manifest);
    const canRebuild = isAdmin() || (state.me.role === 'official' && state.me.scope === ROOT);
    const rebuild = canRebuild ? el('button', { type: 'button', class: 'btn btn-small', onclick: async (e) => {
      e.target.disabled = true;
      const res = await api(`/api/rollups/${manifest.date}`, { method: 'POST' });
      e.target.disabled = false;
      if (res.ok) { say(t('rebuilt', res.body.revision), 'ok'); loadRollups(); } else say(problemText(res), 'error');
    } }, t('rebuild')) : null;
    return el('tr', { dataset: { date: manifest.date } }, el('td', label('date'), manifest.date), el('td', label('revision'), revision),
      el('td', label('state'), stateCell), el('td', label('completeness'), completeness), el('td', label('files'), files), el('td', {}, rebuild));
  }

  /**
   * The name the server saves a rollup file under (RollupEndpoints.DownloadName, on .../files/{name} and its signed
   * .../link alike): rollup-2026-12-02-r1.csv, a county's rollup-2026-12-02-623024-r1.pdf.
   */
  const rollupFileName = (m, name) => `rollup-${m.date}${m.scope && m.scope !== ROOT ? '-' + m.scope : ''}-r${m.revision}${/\.[^.]*$/.exec(name)?.[0] || ''}`;

  /** The file name a Content-Disposition header gives (filename*=UTF-8'' first, as RFC 6266 says), or null. */
  function attachmentName(header) {
    const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header || '');
    if (extended) { try { return decodeURIComponent(extended[1].trim()); } catch { /* the plain name, then */ } }
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header || '');
    const name = plain ? (plain[1] ?? plain[2]).trim() : '';
    return name && !/[\/\\]/.test(name) ? name : null;
  }

  /**
   * Downloads with the token in the header (never in the URL), then hands the bytes to the browser as a file, under
   * the name of the response's Content-Disposition, else the same name built here.
   */
  async function download(url, fallbackName) {
    const res = await api(url, { raw: true });
    if (!res.ok) {
      let body = null;
      try { body = await res.response?.json(); } catch { body = null; }
      say(problemText({ status: res.status, body }), 'error');
      return;
    }
    const blob = await res.response.blob();
    const href = URL.createObjectURL(blob);
    const a = el('a', { href, download: attachmentName(res.headers.get('Content-Disposition')) || fallbackName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
  }

  // ---- reporters' tokens and links ----
  /** A token's label where it says more than its unit's name: the console labels the tokens it issues with that name. */
  function tokenNote(tok) {
    const label = (tok.label || '').trim();
    const unit = state.byCode.get(tok.scope);
    return label === tok.scope || (unit && (label === unit.nameZh || label === unit.nameEn)) ? '' : label;
  }

  async function loadTokens() {
    const res = await api('/api/tokens?scope=' + state.me.scope);
    const body = $('tokens').tBodies[0];
    if (!res.ok) { body.replaceChildren(el('tr', {}, el('td', { colspan: 7 }, problemText(res)))); return; }
    if (res.body.length === 0) { body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, t('noTokens')))); return; }
    body.replaceChildren(...res.body.map((tok) => {
      const canRevoke = isAdmin() || tok.role === 'reporter';
      const revoke = canRevoke ? el('button', { type: 'button', class: 'btn btn-small', dataset: { revoke: tok.id }, onclick: (e) => revokeToken(tok, e.target) }, t('revoke')) : null;
      return el('tr', { dataset: { token: tok.id, scope: tok.scope } },
        el('td', {}, placeName(tok.scope), ' ', el('span', { class: 'muted' }, tok.scope)),
        el('td', label('role'), t('role' + tok.role[0].toUpperCase() + tok.role.slice(1))),
        el('td', label('contact'), [tok.contactName, tok.contactPhone].filter(Boolean).join(' ')),
        el('td', { class: 'token-note', ...label('tokenNote') }, tokenNote(tok)),
        el('td', label('createdAt'), formatDateTime(tok.createdAt)),
        el('td', label('lastUsedAt'), tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t('never')),
        el('td', {}, revoke));
    }));
  }

  async function revokeToken(tok, button) {
    if (state.revokeArmed !== tok.id) {
      state.revokeArmed = tok.id;
      button.textContent = t('confirmRevoke');
      button.classList.add('btn-primary');
      return;
    }
    state.revokeArmed = null;
    const res = await api(`/api/tokens/${tok.id}`, { method: 'DELETE' });
    if (res.ok) { say(t('revoked'), 'ok'); loadTokens(); } else say(problemText(res), 'error');
  }

  async function issue(all) {
    const form = $('issue-form');
    clearErrors(form);
    const unit = $('issue-unit').value;
    const scope = all ? (seesPrefecture() ? state.byCode.get(unit)?.parent || state.me.scope : state.me.scope) : unit;
    const body = { role: 'reporter', scope, contactName: all ? '' : $('issue-name').value.trim(), contactPhone: all ? '' : $('issue-phone').value.trim(), allWithoutToken: all };
    if (!all) body.label = nameOf(unit);
    const res = await api('/api/tokens', { method: 'POST', body });
    if (!res.ok) {
      if (res.status === 400 && res.body?.errors) { const left = showErrors(form, res.body); if (left.length) say(left.join(' '), 'error'); } else say(problemText(res), 'error');
      return;
    }
    const issued = Array.isArray(res.body) ? res.body : [res.body];
    say(issued.length ? t('issued', issued.length) : t('issuedNone'), 'ok');
    if (issued.length) showSheet(issued);
    $('issue-name').value = '';
    $('issue-phone').value = '';
    loadTokens();
  }

  /** The printable sheet: one card per township, grouped by county, with the QR code of its one-time link. */
  function showSheet(issued) {
    const counties = [...new Set(issued.map((i) => state.byCode.get(i.scope)?.parent || i.scope))];
    $('sheet-title').textContent = t('sheetTitle', counties.map(nameOf).join('、'));
    $('sheet-cards').replaceChildren(...issued.map((i) => el('div', { class: 'qr-card', dataset: { scope: i.scope } },
      el('img', { src: i.qr, alt: i.link, width: 180, height: 180 }),
      el('div', { class: 'unit' }, placeName(i.scope)),
      el('div', { class: 'code' }, `${t('code')} ${i.scope}`),
      i.contactName || i.contactPhone ? el('div', { class: 'code' }, [i.contactName, i.contactPhone].filter(Boolean).join(' ')) : null,
      el('div', { class: 'expiry' }, t('expires', formatDateTime(i.linkExpiresAt))),
      el('div', { class: 'link' }, el('a', { href: i.link, class: 'enrol-link' }, i.link)))));
    $('sheet').hidden = false;
    $('sheet').scrollIntoView({ block: 'start' });
  }

  // ---- wiring ----
  function wire() {
    $('lang-toggle').addEventListener('click', () => {
      state.lang = state.lang === 'en' ? 'zh' : 'en';
      localStorage.setItem(LANG_KEY, state.lang);
      applyLanguage();
      if (state.me) { setupPickers(); $('who').textContent = `${nameOf(state.me.scope)} · ${t('role' + state.me.role[0].toUpperCase() + state.me.role.slice(1))}`; showTab(state.tab === 'enter' || state.tab === 'exempt' ? 'board' : state.tab); }
    });
    $('sign-out').addEventListener('click', () => signOut(t('signedOut'), 'ok'));
    $('signin-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const token = $('token-input').value.trim();
      if (!token) return;
      $('signin-button').disabled = true;
      await signIn(token);
      $('signin-button').disabled = false;
    });
    for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showTab(tab.dataset.tab));
    $('board-refresh').addEventListener('click', loadBoard);
    $('board-date').addEventListener('change', loadBoard);
    $('board-county').addEventListener('change', loadBoard);
    $('reports-show').addEventListener('click', loadRevisions);
    $('enter-form').addEventListener('submit', submitEnter);
    $('enter-cancel').addEventListener('click', () => showTab('board'));
    $('exempt-form').addEventListener('submit', submitExempt);
    $('exempt-cancel').addEventListener('click', () => showTab('board'));
    $('exempt-remove').addEventListener('click', removeExempt);
    $('issue-form').addEventListener('submit', (e) => { e.preventDefault(); issue(false); });
    $('issue-all').addEventListener('click', () => issue(true));
    $('sheet-print').addEventListener('click', () => window.print());
  }

  async function start() {
    applyLanguage();
    wire();
    try {
      if (await enrolFromFragment()) return;
      if (state.token) await signIn(state.token);
      else showSignIn('');
    } catch (e) {
      showSignIn(e.message || t('offline'));
    }
  }

  start();
})();
