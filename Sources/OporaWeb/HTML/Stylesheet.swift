/// The one stylesheet, served at /assets/opora.css (kept in code so the binary is self-contained).
enum Stylesheet {
    static let css = """
    :root { --ink:#1d2733; --muted:#5b6b7c; --line:#d8dee6; --bg:#f5f7fa; --accent:#1f5fa8; --red:#c0392b; --yellow:#d4a017;
      --green:#2e8b57; --blue:#2f6fb3; --grey:#8a97a6; }
    * { box-sizing: border-box; }
    body { margin:0; font: 15px/1.45 "PT Sans", "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); }
    header.top { display:flex; align-items:center; gap:1.5rem; padding:.6rem 1.5rem; background:#fff; border-bottom:1px solid var(--line);
      flex-wrap:wrap; }
    .brand { font-weight:700; font-size:1.25rem; color:var(--accent); text-decoration:none; }
    nav { display:flex; gap:.9rem; flex-wrap:wrap; }
    nav a { color:var(--ink); text-decoration:none; padding:.2rem 0; border-bottom:2px solid transparent; }
    nav a.active, nav a:hover { border-color: var(--accent); color: var(--accent); }
    .who { margin-left:auto; color:var(--muted); display:flex; gap:.8rem; align-items:center; }
    main { max-width: 1280px; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
    footer { text-align:center; color:var(--muted); font-size:.85rem; padding:1rem; }
    h1 { font-size:1.5rem; margin:.3rem 0 1rem; } h2 { font-size:1.15rem; margin:1.5rem 0 .6rem; }
    .lead { color: var(--muted); margin-top:-.6rem; }
    table { border-collapse: collapse; width:100%; background:#fff; border:1px solid var(--line); }
    th, td { padding:.45rem .6rem; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
    th { background:#eef2f7; font-weight:600; font-size:.9rem; }
    td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
    td.empty { color: var(--muted); text-align:center; padding:1.2rem; }
    tr:hover td { background:#f9fbfd; }
    a { color: var(--accent); }
    .cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 1rem; margin-bottom:1rem; }
    .card { background:#fff; border:1px solid var(--line); border-radius:8px; padding: .9rem 1rem; }
    .card .value { font-size:1.7rem; font-weight:700; }
    .card .label { color: var(--muted); font-size:.9rem; }
    .panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
    form.stack { display:grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap:.8rem 1.2rem; background:#fff;
      padding:1rem 1.2rem; border:1px solid var(--line); border-radius:8px; }
    form.stack .actions { grid-column: 1 / -1; }
    form.row { display:flex; gap:.6rem; align-items:flex-end; flex-wrap:wrap; margin-bottom: 1rem; }
    form.inline { display:inline; margin:0; }
    label { display:flex; flex-direction:column; gap:.2rem; font-size:.9rem; }
    label small { color: var(--muted); }
    input, select, textarea { font: inherit; padding:.4rem .5rem; border:1px solid #b9c3cf; border-radius:5px; background:#fff; }
    /* A select is as wide as its longest option (a programme's full name): held to its box, so a phone's page never
       grows sideways with it. */
    select, input, textarea { max-width:100%; }
    label, form.stack > * { min-width:0; }
    button, .button { font: inherit; background: var(--accent); color:#fff; border:0; border-radius:5px; padding:.45rem .9rem;
      cursor:pointer; text-decoration:none; display:inline-block; }
    button.secondary, .button.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
    button.link { background:none; color:var(--accent); padding:0; text-decoration:underline; }
    .flash { padding:.7rem 1rem; border-radius:6px; margin-bottom:1rem; }
    .flash.success { background:#e7f5ec; border:1px solid #9fd3b2; }
    .flash.error { background:#fdecea; border:1px solid #f1a9a0; }
    table.risk-matrix td.risk { text-align:center; font-weight:600; width:2.2rem; }
    td.risk.high { background:#f4b4ae; color:#7a1c12; } td.risk.medium { background:#ffe59a; color:#6b5200; }
    td.risk.low { background:#d4eedc; color:#1d5c32; } td.risk.none { background:#eef0f3; color:#777; }
    div.scroll { overflow-x:auto; }
    fieldset { border:1px solid var(--line); border-radius:8px; margin:.8rem 0; background:#fff; }
    .question label.inline { display:inline-flex; gap:.3rem; margin-right:1.2rem; }
    section.item { border-left:3px solid transparent; padding-left:.6rem; margin:.4rem 0; }
    section.item:has(.comment.open) { border-left-color:#e0a800; }
    .comment { background:#fffdf3; border:1px solid #efe3b5; border-radius:6px; padding:.4rem .6rem; margin:.3rem 0; }
    .comment.resolved { background:#f5f7f9; border-color:var(--line); color:var(--muted); }
    .comment .reply { margin:.2rem 0 .2rem 1rem; }
    tr.change.added td { background:#e7f5ec; } tr.change.removed td { background:#fdecea; } tr.change.changed td { background:#fff4d6; }
    .tag { display:inline-block; padding:.05rem .45rem; border-radius:10px; font-size:.8rem; background:#eef2f7; color:var(--muted); }
    .tag.warn { background:#fff4d6; color:#7a5b00; }
    .tag.bad { background:#fdecea; color:var(--red); }
    .tag.good { background:#e7f5ec; color:var(--green); }
    .muted { color: var(--muted); }
    .toolbar { display:flex; gap:.6rem; align-items:center; margin-bottom:.8rem; flex-wrap:wrap; }
    .toolbar .spacer { flex:1; }
    .login { max-width: 380px; margin: 8vh auto; background:#fff; border:1px solid var(--line); border-radius:10px;
      padding: 1.5rem 1.8rem; }
    .login h1 { color: var(--accent); }
    .login form { display:flex; flex-direction:column; gap:.8rem; }
    dl.facts { display:grid; grid-template-columns: max-content 1fr; gap:.3rem 1.2rem; margin:0; }
    dl.facts dt { color: var(--muted); }
    .attention li { margin-bottom:.35rem; }
    .changes { font-size:.85rem; color: var(--muted); margin:0; padding-left:1rem; }
    nav.tabs { display:flex; gap:1rem; border-bottom:1px solid var(--line); margin-bottom:1rem; }
    nav.tabs a { padding:.4rem 0; }
    .toolbar a.active { font-weight:700; text-decoration:none; color:var(--ink); }
    .calendar { display:grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap:1rem; }
    .calendar .month { background:#fff; border:1px solid var(--line); border-radius:8px; padding:.6rem .9rem; }
    .calendar h3 { margin:.2rem 0 .4rem; font-size:1rem; }
    .calendar ul { margin:0; padding-left:0; list-style:none; font-size:.88rem; }
    .calendar li { margin:.2rem 0; } .calendar li.late b { color: var(--red); }
    a.skip { position:absolute; left:-9999px; top:.4rem; background:#fff; padding:.5rem .8rem; border:2px solid var(--accent); z-index:10;
      }
    a.skip:focus { left:.5rem; }
    :focus-visible { outline:3px solid #e0a800; outline-offset:2px; }
    main:focus { outline:none; }
    .menu-toggle { display:none; }
    form.search { margin-left:auto; } form.search input { width:13rem; padding:.3rem .5rem; }
    header.top .who { margin-left:0; }
    /* The brand, the search and the user on the first row; the sections below them. */
    header.top nav { order:3; flex-basis:100%; gap:.3rem .9rem; }
    @media (max-width: 760px) {
      header.top { gap:.6rem; padding:.5rem .8rem; }
      .js .menu-toggle { display:inline-block; margin-left:auto; }
      .js header.top nav { display:none; flex-basis:100%; flex-direction:column; gap:.1rem; }
      .js header.top.menu-open nav { display:flex; }
      header.top nav a { padding:.45rem 0; }
      .who { margin-left:0; flex-basis:100%; flex-wrap:wrap; font-size:.9rem; }
      form.search { flex-basis:100%; margin-left:0; } form.search input { width:100%; }
      main { padding:.8rem .8rem 2rem; }
      main table { display:block; overflow-x:auto; max-width:100%; }
      form.stack { grid-template-columns: 1fr; }
    }
    /* A table whose rows hold forms: on a phone each row is a card, its cells one under another with their
       column's title, so a form's button is never scrolled out of sight. On screens only: paper keeps the table. */
    @media screen and (max-width: 760px) {
      main table.cards-narrow { display:block; overflow:visible; border:0; background:none; }
      table.cards-narrow thead { display:none; }
      table.cards-narrow tbody, table.cards-narrow tr, table.cards-narrow td { display:block; width:auto; }
      table.cards-narrow tr { background:#fff; border:1px solid var(--line); border-radius:6px; margin-bottom:.6rem; padding:.3rem .7rem; }
      table.cards-narrow td { border:0; padding:.25rem 0; text-align:left; }
      table.cards-narrow td:empty { display:none; }
      table.cards-narrow td[data-label]::before { content:attr(data-label); display:block; font-size:.8rem; color:var(--muted); }
    }
    @media print {
      header.top, footer, .toolbar, form, nav.tabs, button, .button, a.skip, .no-print { display:none !important; }
      body { background:#fff; font-size:11pt; } main { max-width:none; padding:0; }
      a { color:inherit; text-decoration:none; }
      table { break-inside:auto; } tr { break-inside:avoid; } h1, h2 { break-after:avoid; }
      .panel, .card { border-color:#999; break-inside:avoid; }
      .calendar .month { break-inside: avoid; }
    }
    /* Questionnaires: the edit form's default button (Enter saves) is kept out of sight. */
    .questionnaire-edit .questionnaire-default { position:absolute; left:-10000px; width:1px; height:1px; overflow:hidden; }
    .questionnaire-question { border:1px solid var(--line); border-radius:8px; margin:.8rem 0; padding:.5rem .9rem; }
    .questionnaire-question.invalid { border-color: var(--red); }
    .questionnaire-question .field-error { color: var(--red); margin:.2rem 0 .5rem; }
    .questionnaire-question textarea { width:100%; }
    .questionnaire-points { color: var(--muted); }
    .questionnaire-row { display:flex; gap:.6rem 1rem; align-items:flex-end; flex-wrap:wrap; margin:.4rem 0; }
    .questionnaire-row > label { flex:1 1 11rem; }
    .questionnaire-question label.inline { flex-direction:row; align-items:center; gap:.4rem; margin:.4rem 0; }
    /* Today («Сегодня», issue 24) */
    .today-badge { display:inline-block; min-width:1.3em; margin-left:.3rem; padding:0 .35rem; border-radius:10px; background:var(--red);
      color:#fff; font-size:.75rem; font-weight:700; text-align:center; line-height:1.4; }
    .today-group h2 { font-size:1.05rem; margin:.2rem 0 .5rem; }
    .today-list { list-style:none; margin:0; padding:0; }
    .today-list li { padding:.45rem 0; border-top:1px solid var(--line); overflow-wrap:anywhere; }
    .today-list li:first-child { border-top:0; }
    .today-list li.late > a { color: var(--red); }
    .today-list .tag { margin-left:.4rem; }
    .today-summary .tag { margin-left:.5rem; }
    .account-mail fieldset { border:1px solid var(--line); border-radius:6px; margin:.6rem 0; }
    .account-mail label.check { display:block; margin:.2rem 0; }
    .tasks-table { max-width:100%; } .tasks-table table { min-width:720px; }
    .tasks-table tr.deficit td { background:#fdf1ef; }
    .tasks-markers { display:grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap:1rem; }
    .tasks-markers h3 { margin:.2rem 0 .4rem; font-size:1rem; }
    main.survey { max-width: 40rem; padding: 1rem .9rem 2.5rem; overflow-wrap: anywhere; }
    main.survey h1 { font-size:1.3rem; }
    .survey-lead { color: var(--muted); }
    .survey-question { padding:.6rem .8rem; min-width:0; }
    .survey-question legend { font-weight:600; padding:0 .2rem; max-width:100%; white-space:normal; }
    .survey-question.invalid { border-color: var(--red); }
    .survey-error { color: var(--red); margin:.2rem 0 .4rem; }
    .survey-choice { flex-direction:row; align-items:flex-start; gap:.5rem; font-size:1rem; padding:.35rem 0; }
    .survey-choice input { margin-top:.25rem; flex:none; width:1.15rem; height:1.15rem; }
    .survey-scale { display:flex; flex-wrap:wrap; gap:0 1.1rem; }
    .survey-field input, .survey-field textarea { width:100%; max-width:100%; font-size:1rem; }
    button.survey-submit { width:100%; padding:.75rem; font-size:1.05rem; }
    .survey-message { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.2rem; margin-top:1rem; }
    ul.survey-shares { margin:0; padding-left:1rem; }
    .sheet { max-width: 640px; margin: 1rem auto 2rem; background:#fff; border:1px solid var(--line); border-radius:8px;
      padding:1.2rem 1.6rem; }
    .sheet h1 { font-size:1.4rem; } .sheet h2 { font-size:1.1rem; margin-top:1rem; }
    .sheet-facts { display:grid; grid-template-columns: max-content 1fr; gap:.2rem 1rem; font-size:1.1rem; }
    .sheet-facts dt { color: var(--muted); } .sheet-facts dd { margin:0; font-weight:600; }
    .sheet-code { width: min(9cm, 100%); margin: 1rem auto .4rem; } .sheet-code svg { width:100%; height:auto; display:block; }
    .sheet-link { text-align:center; font-family: ui-monospace, monospace; font-size:.95rem; overflow-wrap:anywhere; }
    .sheet-steps li { margin:.25rem 0; }
    .sheet-screen { max-width: 640px; margin: 1rem auto; }
    @media print { .sheet-screen { display:none; } .sheet { border:none; margin:0 auto; padding:0; break-after: page; }
      .sheet:last-of-type { break-after: auto; } }
    /* Forms: a refused field and its reason, a doubtful date and its confirmation, a chooser's search box. */
    label.field.invalid input, label.field.invalid select, label.field.invalid textarea { border-color: var(--red);
      box-shadow: 0 0 0 1px var(--red); }
    label.field.doubtful input { border-color: #b7791f; }
    .field-error { color: var(--red); font-weight: 600; }
    label small.field-error { color: var(--red); }
    label small.field-warning { color: #8a5a00; }
    label.field-confirm { flex-direction: row; align-items: center; gap: .4rem; font-weight: 600; }
    input.chooser-search { margin-bottom: .3rem; }
    .school-card-grid { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap:1rem;
      margin-bottom:1rem; }
    .school-card-grid .school-card-part { margin:0; min-width:0; overflow-wrap:anywhere; }
    .school-card-part h2 { margin-top:0; font-size:1.1rem; }
    .school-card-part .card-link { margin-bottom:0; }
    ul.card-list { margin:.3rem 0; padding-left:1.1rem; } ul.card-list li { margin:.25rem 0; }
    #card-late { overflow-wrap:anywhere; }
    /* Menu groups (issue 24): each group a <details>; a drop-down on a wide screen, a folding list on a phone. */
    .visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
    header.top nav { align-items:center; }
    .nav-group { position:relative; }
    .nav-group > summary { cursor:pointer; list-style:none; padding:.2rem .1rem; border-bottom:2px solid transparent; white-space:nowrap; }
    .nav-group > summary::-webkit-details-marker { display:none; }
    .nav-group > summary::after { content:"▾"; margin-left:.3rem; font-size:.75em; color:var(--muted); }
    .nav-group[open] > summary::after { content:"▴"; }
    .nav-group > summary:hover { color:var(--accent); }
    .nav-group.current > summary { border-color:var(--accent); color:var(--accent); font-weight:600; }
    .nav-group .nav-items { position:absolute; z-index:30; top:calc(100% + .3rem); left:-.6rem; min-width:15rem; display:flex;
      flex-direction:column; background:#fff; border:1px solid var(--line); border-radius:6px; padding:.3rem .9rem;
      box-shadow:0 6px 18px rgba(29,39,51,.14); }
    .nav-group .nav-items a { padding:.35rem 0; border-bottom:0; }
    .nav-group .nav-items a.active { font-weight:600; }
    @media (max-width: 760px) {
      header.top nav { align-items:stretch; }
      .nav-group > summary { padding:.5rem 0; border-bottom:1px solid var(--line); }
      .nav-group.current > summary { border-bottom-color:var(--line); }
      .nav-group .nav-items { position:static; min-width:0; border:0; box-shadow:none; border-radius:0; padding:.1rem 0 .4rem 1rem; }
    }
    /* Print (issue 24): the page's title and its school on top; no menu, buttons or forms; tables whole across pages. */
    .print-head { display:none; }
    @media print {
      .print-head { display:block; border-bottom:1px solid #999; margin:0 0 .8rem; padding-bottom:.3rem; }
      .print-head p { margin:0; } .print-head .print-school { font-weight:700; font-size:12pt; }
      .print-head .print-title { color:#333; }
      .nav-group, .menu-toggle, form.search, details > summary, input, select, textarea, .no-print { display:none !important; }
      main table, .tasks-table table { display:table !important; min-width:0 !important; width:100%; font-size:9.5pt; }
      div.scroll, .tasks-table, main { overflow:visible !important; }
      thead { display:table-header-group; } tfoot { display:table-footer-group; }
      tr, td, th { break-inside:avoid; } th, td { overflow-wrap:anywhere; }
      h1, h2, h3, caption { break-after:avoid; } p, li { orphans:3; widows:3; }
      .cards { display:block; } .card { display:inline-block; min-width:10rem; margin:0 .5rem .5rem 0; }
    }
    .criteria-form fieldset { border:1px solid var(--line); border-radius:6px; margin:0 0 1rem; padding:.6rem 1rem; min-width:0; }
    .criteria-form select, .criteria-form input, .criteria-form textarea { max-width:100%; box-sizing:border-box; }
    .criteria-form legend { font-weight:600; padding:0 .3rem; }
    .criteria-form label { display:flex; flex-direction:column; gap:.2rem; margin:.4rem 0; }
    .criteria-form label.criteria-check { flex-direction:row; align-items:center; gap:.4rem; }
    .criteria-grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap:.2rem 1rem; }
    .import-cell-change del { color: var(--red); } .import-cell-change ins { color: var(--green, #2e8b57); text-decoration:none; }
    .import-scroll { overflow-x:auto; max-width:100%; }
    /* Plans: participants chosen by name in a box that scrolls; the programme editor's texts wrap whole and its
       open remarks stand beside what they concern. */
    fieldset.participants { max-height: 18rem; overflow-y: auto; border: 1px solid var(--line, #ccc); padding: .5rem; }
    fieldset.participants label.check { display: block; margin: .15rem 0; font-weight: normal; }
    table.editor textarea { width: 100%; min-width: 12rem; resize: vertical; }
    table.editor td { vertical-align: top; }
    aside.remarks { border-left: 3px solid #b7791f; padding: .3rem .6rem; margin: .3rem 0 .8rem; background: #fff8e6; }
    aside.remarks p { margin: .2rem 0; }
    """
}
