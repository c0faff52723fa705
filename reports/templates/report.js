/* Filters and paging. Every table that lists assets follows the two filters: asset rows (data-i: the asset's index in
   mlps-index) show when their asset matches, rows about several assets (data-group) when one of them does, and a
   result filter also hides the record rows of other results. In a large report the long tables are rows of
   text (script.rows) shown a page at a time, so the page holds a few thousand nodes instead of hundreds of thousands. */
const IDX = JSON.parse(document.getElementById('mlps-index').textContent);
// each row: the asset's index, its HTML, then U+2063 (reports/html.py: _row_text)
const mlpsRows = text => text.split('\u2063').filter(Boolean).map(r => {
  const key = /^\d+/.exec(r)[0];
  return [+key, r.slice(key.length)];
});
const PAGED = Array.from(document.querySelectorAll('script.rows'), s => ({
  body: document.getElementById(s.dataset.body), rows: mlpsRows(s.textContent), size: +s.dataset.size,
  page: 0, all: false, pager: null}));
let chosen = null, onlyResult = '';

function mlpsMatching(q, r) {
  if (!q && !r) return null;
  const s = new Set();
  IDX.assets.forEach((a, i) => { if ((!q || a[0].includes(q)) && (!r || a[1].includes(r))) s.add(i); });
  return s;
}
function mlpsShowResult(root) {
  root.querySelectorAll('tr[data-result]').forEach(tr => {
    tr.style.display = (!onlyResult || tr.dataset.result === onlyResult) ? '' : 'none';
  });
}
function mlpsPager(t) {
  const nav = document.createElement('div');
  nav.className = 'pager';
  nav.id = 'pager-' + t.body.id;
  nav.innerHTML = '<button type="button" data-go="-1">‹</button><span></span><button type="button" data-go="1">›</button>';
  nav.addEventListener('click', e => {
    const go = +(e.target.dataset.go || 0);
    if (go) { t.page += go; mlpsDraw(t); }
  });
  const anchor = t.body.closest('table') || t.body;
  (anchor.parentNode.classList.contains('scroll') ? anchor.parentNode : anchor).after(nav);
  return nav;
}
function mlpsDraw(t) {
  const rows = chosen ? t.rows.filter(x => chosen.has(x[0])) : t.rows;
  const pages = Math.max(1, Math.ceil(rows.length / t.size));
  t.page = Math.max(0, Math.min(t.page, pages - 1));
  const from = t.all ? 0 : t.page * t.size, to = t.all ? rows.length : Math.min(from + t.size, rows.length);
  t.body.innerHTML = rows.slice(from, to).map(x => x[1]).join('');
  mlpsShowResult(t.body);
  t.pager = t.pager || mlpsPager(t);
  t.pager.querySelector('span').textContent = rows.length ? `${from + 1}–${to} / ${rows.length}` : '0';
  t.pager.querySelectorAll('button')[0].disabled = t.page === 0;
  t.pager.querySelectorAll('button')[1].disabled = t.page >= pages - 1;
}
function mlpsFilter() {
  const q = document.getElementById('f-asset').value.trim().toLowerCase();
  onlyResult = document.getElementById('f-result').value;
  chosen = mlpsMatching(q, onlyResult);
  const shown = el => !chosen || chosen.has(+el.dataset.i);
  document.querySelectorAll('[data-i]').forEach(el => { el.style.display = shown(el) ? '' : 'none'; });
  document.querySelectorAll('[data-group]').forEach(el => {
    const members = IDX.groups[el.dataset.group] || [];
    el.style.display = (!chosen || members.some(i => chosen.has(i))) ? '' : 'none';
  });
  document.querySelectorAll('section.asset').forEach(mlpsShowResult);
  PAGED.forEach(t => { t.page = 0; mlpsDraw(t); });
  document.getElementById('f-count').textContent = chosen ? `${chosen.size} / ${IDX.assets.length}` : '';
}
PAGED.forEach(mlpsDraw);
// Browser print shows every row of the filtered tables, not the page on screen.
addEventListener('beforeprint', () => PAGED.forEach(t => { t.all = true; mlpsDraw(t); }));
addEventListener('afterprint', () => PAGED.forEach(t => { t.all = false; mlpsDraw(t); }));
