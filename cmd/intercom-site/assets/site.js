// The matrix's filters, search, permalinks and details. Plain JavaScript:
// the data comes from data/changes.js and data/matrix.js, loaded by
// <script> tags, so the page works from file:// with no network.
(function () {
  'use strict';
  var M = window.INTERCOM_MATRIX, C = window.INTERCOM_CHANGES;
  var $ = function (id) { return document.getElementById(id); };
  if (!M || !C) {
    $('count').textContent = 'The data scripts (data/*.js) did not load.';
    return;
  }
  var versions = M.versions, S = C.strings, MS = M.strings;
  var LEVELS = C.levels; // breaking, warning, non-breaking
  var LEVEL_TITLES = { 'breaking': 'Breaking', 'warning': 'Possibly breaking', 'non-breaking': 'Not breaking' };
  var STATE_TEXT = {
    'absent': 'absent', 'present': 'present (first version)', 'added': 'added',
    'unchanged': 'unchanged', 'changed': 'changed, not breaking',
    'breaking': 'changed, breaking', 'removed': 'removed'
  };
  var MARKS = { 'absent': '', 'present': '●', 'added': '+', 'unchanged': '=', 'changed': 'Δ', 'breaking': '!', 'removed': '×' };
  var CHANGED = { 'added': 1, 'changed': 1, 'breaking': 1, 'removed': 1 };
  var BREAKING = { 'breaking': 1, 'removed': 1 };

  var rowsById = {};
  M.rows.forEach(function (r) { rowsById[r.id] = r; });
  var pairOps = C.pairs.map(function (p) {
    var byKey = {};
    p.ops.forEach(function (o) { byKey[o.key] = o; });
    return byKey;
  });
  var trs = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody tr[id]'));
  var tbodies = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody'));
  var heads = Array.prototype.slice.call(document.querySelectorAll('#matrix thead th[data-v]'));
  var f = { tag: $('f-tag'), from: $('f-from'), to: $('f-to'), breaking: $('f-breaking'), q: $('f-q') };
  var layout = $('layout'), detail = $('detail'), body = $('detail-body');
  var open = null; // {id, v} of the details shown

  function stateOf(td) {
    var m = /\bs-(\w+)/.exec(td.className);
    return m ? m[1] : 'absent';
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // oasdiff's sentences quote names in backticks.
  function prose(s) {
    return esc(s).replace(/`([^`]*)`/g, '<code>$1</code>');
  }

  // ---- filters --------------------------------------------------------

  // The range (lo, hi] of version columns whose changes count, or null.
  function range() {
    if (!f.from.value && !f.to.value) return null;
    var lo = f.from.value ? versions.indexOf(f.from.value) : 0;
    var hi = f.to.value ? versions.indexOf(f.to.value) : versions.length - 1;
    if (lo > hi) { var t = lo; lo = hi; hi = t; }
    return { lo: lo, hi: hi };
  }

  function apply() {
    var tag = f.tag.value;
    var terms = f.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var r = range();
    var want = f.breaking.checked ? BREAKING : CHANGED;
    var lo = r ? r.lo : 0, hi = r ? r.hi : versions.length - 1;
    var byChange = r || f.breaking.checked;
    var shown = 0;
    trs.forEach(function (tr) {
      var ok = !tag || tr.parentNode.getAttribute('data-tag') === tag;
      if (ok && terms.length) {
        var text = tr.getAttribute('data-search');
        ok = terms.every(function (t) { return text.indexOf(t) >= 0; });
      }
      if (ok && byChange) {
        ok = false;
        for (var i = lo + 1; i <= hi && !ok; i++) {
          ok = !!want[stateOf(tr.cells[i + 1])]; // cells[0] is the operation
        }
      }
      tr.hidden = !ok;
      if (ok) shown++;
    });
    tbodies.forEach(function (tb) {
      tb.hidden = !tb.querySelector('tr[id]:not([hidden])');
    });
    heads.forEach(function (th, i) {
      th.classList.toggle('inrange', !!r && i > lo && i <= hi);
    });
    var c = shown + ' of ' + trs.length + ' operations';
    if (r) c += ', changed between ' + versions[lo] + ' and ' + versions[hi];
    $('count').textContent = c;
    $('empty').hidden = shown > 0;
    if (r && lo === hi) $('empty').textContent = 'Pick two different versions to see what changed between them.';
    else $('empty').textContent = 'No operation matches these filters.';
    keepCurrentVisible();
    writeHash();
  }

  // ---- permalinks: everything the view shows is in the fragment ---------

  function viewParams(withDetail) {
    var p = [];
    if (f.tag.value) p.push(['tag', f.tag.value]);
    if (f.from.value) p.push(['from', f.from.value]);
    if (f.to.value) p.push(['to', f.to.value]);
    if (f.breaking.checked) p.push(['breaking', '1']);
    if (f.q.value.trim()) p.push(['q', f.q.value.trim()]);
    if (withDetail && open) {
      p.push(['op', open.id]);
      if (open.v) p.push(['v', open.v]);
    }
    return p;
  }
  function fragment(p) {
    return '#' + p.map(function (kv) { return kv[0] + '=' + encodeURIComponent(kv[1]); }).join('&');
  }
  var written = null; // the fragment this script last wrote
  function writeHash() {
    var h = fragment(viewParams(true));
    $('permalink').href = h;
    if (location.hash === h || (h === '#' && !location.hash)) return;
    written = h;
    try {
      history.replaceState(null, '', h);
    } catch (e) {
      // Chromium refuses replaceState on file:// pages; replacing the
      // location with a fragment does not reload the page.
    }
    if (location.hash !== h && !(h === '#' && !location.hash)) location.replace(h);
  }
  function readHash() {
    var p = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    f.tag.value = hasOption(f.tag, p.tag) ? p.tag : '';
    f.from.value = versions.indexOf(p.from) >= 0 ? p.from : '';
    f.to.value = versions.indexOf(p.to) >= 0 ? p.to : '';
    f.breaking.checked = p.breaking === '1';
    f.q.value = p.q || '';
    apply();
    if (p.op && rowsById[p.op]) {
      show(p.op, versions.indexOf(p.v) >= 0 ? p.v : '', true);
    } else {
      close(false);
    }
  }
  function hasOption(sel, v) {
    return v !== undefined && Array.prototype.some.call(sel.options, function (o) { return o.value === v; });
  }

  // ---- details ----------------------------------------------------------

  function cellState(row, vi) {
    var tr = $(row.id);
    return stateOf(tr.cells[vi + 1]);
  }

  function show(id, v, scroll) {
    var row = rowsById[id], tr = $(id);
    document.querySelectorAll('#matrix .selected, #matrix tr.target').forEach(function (el) {
      el.classList.remove('selected'); el.classList.remove('target');
    });
    tr.classList.add('target');
    var vi = v ? versions.indexOf(v) : -1;
    if (vi >= 0) tr.cells[vi + 1].classList.add('selected');
    open = { id: id, v: v };
    body.innerHTML = vi >= 0 ? cellDetail(row, vi) : operationDetail(row);
    detail.hidden = false;
    layout.classList.add('open');
    if (tr.hidden) { tr.hidden = false; tr.parentNode.hidden = false; }
    if (scroll) tr.scrollIntoView({ block: 'center' });
    writeHash();
  }

  // focusDetail moves the keyboard focus to the details just opened, so
  // that a keyboard or screen-reader user lands on them; Escape goes back.
  function focusDetail() {
    var title = $('detail-title');
    if (title) title.focus({ preventScroll: true });
  }

  function close(focusCell) {
    if (!open) return;
    var was = open;
    open = null;
    detail.hidden = true;
    layout.classList.remove('open');
    document.querySelectorAll('#matrix .selected, #matrix tr.target').forEach(function (el) {
      el.classList.remove('selected'); el.classList.remove('target');
    });
    writeHash();
    if (focusCell) {
      var tr = $(was.id), vi = versions.indexOf(was.v);
      var target = vi >= 0 ? tr.cells[vi + 1].querySelector('button') : tr.querySelector('a');
      if (target && vi >= 0) setCurrent(target);
      if (target) target.focus();
    }
  }

  function facts(row, vi) {
    var v = row.v[vi];
    return { path: MS[v[0]], opid: MS[v[1]], sig: MS[v[2]], iter: MS[v[3]], present: v[2] !== 0 };
  }
  function latest(row) {
    for (var i = versions.length - 1; i >= 0; i--) {
      if (row.v[i][2] !== 0) return facts(row, i);
    }
    return facts(row, 0);
  }

  // header names the operation as version vi spells it (the latest
  // spelling when vi is -1 or the version lacks it).
  function header(row, vi, title, sub) {
    var l = vi >= 0 && row.v[vi][2] !== 0 ? facts(row, vi) : latest(row);
    return '<h2 id="detail-title" tabindex="-1">' + esc(title) + (sub ? ' <small>' + esc(sub) + '</small>' : '') + '</h2>' +
      '<p class="facts"><code>' + esc(row.key.split(' ')[0] + ' ' + l.path) + '</code> · operationId <code>' +
      esc(l.opid) + '</code> · tag ' + esc(row.tag) + '</p>';
  }

  function history(row, vi) {
    var h = '<ol class="history">';
    versions.forEach(function (v, i) {
      var st = cellState(row, i);
      h += '<li><a class="s-' + st + (i === vi ? ' current' : '') + '" href="' +
        fragment(viewParams(false).concat([['op', row.id], ['v', v]])) + '" title="' + esc(v + ': ' + STATE_TEXT[st]) +
        '">' + esc(v) + ' ' + (MARKS[st] || '–') + '</a></li>';
    });
    return h + '</ol>';
  }

  function signature(fa) {
    if (!fa.present) return '<p class="note">No such method: the operation is not in this version.</p>';
    var s = '<pre>func (c *Client) ' + esc(fa.sig) + '</pre>';
    if (fa.iter) s += '<pre>func (c *Client) ' + esc(fa.iter) + '</pre>';
    return s;
  }

  function operationDetail(row) {
    var l = latest(row);
    return header(row, -1, l.opid, 'in every version') +
      '<nav><a href="' + fragment([['op', row.id]]) + '">Permalink</a></nav>' +
      '<h3>Select a version</h3>' + history(row, -1) +
      '<h3>Go signature in the latest version that has it</h3>' + signature(l);
  }

  function cellDetail(row, vi) {
    var v = versions[vi], st = cellState(row, vi), fa = facts(row, vi);
    var h = header(row, vi, (fa.present ? fa.opid : latest(row).opid), 'in ' + v);
    h += '<p class="state s-' + st + '">' + (MARKS[st] ? esc(MARKS[st]) + ' ' : '') + esc(STATE_TEXT[st]) +
      (vi > 0 ? ' · compared with ' + esc(versions[vi - 1]) : '') + '</p>';
    h += '<nav><a href="' + fragment([['op', row.id], ['v', v]]) + '">Permalink</a>';
    if (vi > 0) {
      var p = C.pairs[vi - 1];
      h += '<a href="' + fragment([['from', p.from], ['to', p.to]]) + '">Every operation changed ' + esc(p.from) + ' → ' + esc(p.to) + '</a>' +
        '<a href="../diffs/' + encodeURI(p.report) + '">Full report ' + esc(p.from) + ' → ' + esc(p.to) + '</a>';
    }
    h += '</nav>';
    h += history(row, vi);
    if (vi === 0) {
      h += '<h3>Go signature in ' + esc(v) + '</h3>' + signature(fa) +
        '<p class="note">' + esc(v) + ' is the first version: there is nothing to compare it with.</p>';
      return h;
    }
    var prev = facts(row, vi - 1), pv = versions[vi - 1];
    var same = prev.present && fa.present && prev.sig === fa.sig && prev.iter === fa.iter;
    h += '<h3>Go signature</h3>';
    if (same) {
      h += '<p class="note">The same in ' + esc(pv) + ' and ' + esc(v) + '.</p>' + signature(fa);
    } else {
      h += '<div class="pair"><div><h4>' + esc(pv) + '</h4>' + signature(prev) + '</div><div><h4>' +
        esc(v) + '</h4>' + signature(fa) + '</div></div>';
    }
    var o = pairOps[vi - 1][row.key];
    if (!o) {
      h += '<p class="note">' + (st === 'absent' ? 'Not in ' + esc(pv) + ' nor in ' + esc(v) + '.' :
        'intercom-diff found no change tied to this operation between ' + esc(pv) + ' and ' + esc(v) + '.') + '</p>';
      return h;
    }
    h += '<div class="sides"><section><h3>Spec changes (' + o.spec.length + ')</h3>' + specList(o.spec) + '</section>';
    var typed = o.go.filter(function (g) { return g[6] === 0; });
    var raw = o.go.filter(function (g) { return g[6] === 1; });
    h += '<section><h3>Go changes (' + typed.length + ')</h3>' + goList(typed);
    if (raw.length) {
      h += '<details><summary>Raw client changes (' + raw.length + ')</summary>' + goList(raw) + '</details>';
    }
    h += '</section></div>';
    return h;
  }

  function byLevel(items, line) {
    if (!items.length) return '<p class="note">None.</p>';
    var h = '';
    LEVELS.forEach(function (lv, li) {
      var these = items.filter(function (c) { return c[0] === li; });
      if (!these.length) return;
      h += '<h4 class="lvl-' + lv + '">' + LEVEL_TITLES[lv] + ' (' + these.length + ')</h4><ul>';
      these.forEach(function (c) { h += '<li>' + line(c) + '</li>'; });
      h += '</ul>';
    });
    return h;
  }
  function specList(items) {
    return byLevel(items, function (c) {
      return '<span class="kind">' + esc(S[c[1]]) + '</span>' + prose(S[c[3]]) + ' <span class="rule">' + esc(S[c[2]]) + '</span>';
    });
  }
  function goList(items) {
    return byLevel(items, function (c) {
      var s = '<code>' + esc(S[c[1]]) + '</code> ' + esc(S[c[2]]);
      if (c[3] || c[4]) s += '<del>' + esc(S[c[3]]) + '</del><ins>' + esc(S[c[4]]) + '</ins>';
      if (c[5]) s += ' <span class="note">(' + esc(S[c[5]]) + ')</span>';
      if (c[7]) s += '<ul class="fields">' + S[c[7]].split('\n').map(function (x) { return '<li><code>' + esc(x) + '</code></li>'; }).join('') + '</ul>';
      return s;
    });
  }

  // ---- keyboard: one cell in the tab order, arrow keys move ---------------
  // Without this, the matrix would put about 1,600 buttons in the tab order.

  var current = null; // the cell button that is in the tab order
  function setCurrent(b) {
    if (current) current.tabIndex = -1;
    current = b;
    if (b) b.tabIndex = 0;
  }
  function firstVisibleButton() {
    for (var i = 0; i < trs.length; i++) {
      if (!trs[i].hidden) {
        var b = trs[i].querySelector('td button');
        if (b) return b;
      }
    }
    return null;
  }
  function keepCurrentVisible() {
    if (!current || current.closest('tr').hidden) setCurrent(firstVisibleButton());
  }
  function cellTo(b, key) {
    var tr = b.closest('tr'), col = b.parentNode.cellIndex;
    if (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home' || key === 'End') {
      var bs = Array.prototype.slice.call(tr.querySelectorAll('td button'));
      var i = bs.indexOf(b);
      if (key === 'ArrowLeft') return bs[i - 1];
      if (key === 'ArrowRight') return bs[i + 1];
      return key === 'Home' ? bs[0] : bs[bs.length - 1];
    }
    var step = key === 'ArrowUp' ? -1 : 1;
    for (var r = trs.indexOf(tr) + step; r >= 0 && r < trs.length; r += step) {
      if (trs[r].hidden) continue;
      var nb = trs[r].cells[col].querySelector('button');
      if (nb) return nb;
    }
    return null;
  }
  document.getElementById('matrix').addEventListener('keydown', function (e) {
    var b = e.target.closest && e.target.closest('td button');
    if (!b || ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].indexOf(e.key) < 0) return;
    var next = cellTo(b, e.key);
    e.preventDefault();
    if (next) {
      setCurrent(next);
      next.focus();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll('#matrix td button'), function (b) { b.tabIndex = -1; });

  // ---- wiring -----------------------------------------------------------

  document.getElementById('matrix').addEventListener('click', function (e) {
    var b = e.target.closest('td button');
    if (b) {
      setCurrent(b);
      show(b.closest('tr').id, b.getAttribute('data-v'), false);
      focusDetail();
      return;
    }
    var a = e.target.closest('th[scope=row] a');
    if (a) {
      e.preventDefault();
      show(a.closest('tr').id, '', false);
      focusDetail();
    }
  });
  // Tooltips from the cells' labels, set on first hover rather than
  // repeated in the page for every cell.
  document.getElementById('matrix').addEventListener('mouseover', function (e) {
    var b = e.target.closest('td button');
    if (b && !b.title) b.title = b.getAttribute('aria-label');
  });
  $('detail-close').addEventListener('click', function () { close(true); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && open) close(true);
  });
  [f.tag, f.from, f.to, f.breaking].forEach(function (el) { el.addEventListener('change', apply); });
  f.q.addEventListener('input', apply);
  window.addEventListener('hashchange', function () {
    if (location.hash !== written) readHash();
  });
  readHash();
})();
