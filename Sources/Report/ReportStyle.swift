/// The report page's style sheet and the empty sections the script fills.
enum ReportStyle {
    static let skeleton = """
        <header>
          <h1><span class="brand">grpcdump report</span> <span id="title"></span></h1>
          <nav><a href="#capture">Capture</a> <a href="#timeline-section">Timeline</a> <a href="#flow-section">Flow control</a>
          <a href="#methods-section">Methods</a> <a href="#errors-section">Errors</a> <a href="#connections-section">Connections</a></nav>
        </header>
        <div id="script-error" hidden></div>
        <noscript><p class="note">This report draws its views with JavaScript; enable it to see them.</p></noscript>
        <main>
        <section id="capture"><h2>Capture</h2><div class="content"></div></section>
        <section id="timeline-section"><h2>Timeline</h2>
          <div class="toolbar"><button type="button" id="zoom-in" title="Zoom in (or Ctrl + wheel)">+</button><button type="button" id="zoom-out" title="Zoom out">−</button><button type="button" id="zoom-fit" title="Show the whole capture">Fit</button>
          <span id="timeline-range"></span><span id="legend"></span></div>
          <div id="timeline-note" class="note" hidden></div>
          <div id="axis"></div>
          <div id="timeline"><div id="lanes"></div></div>
        </section>
        <section id="flow-section"><h2>Flow control</h2>
          <div class="toolbar"><label>Connection <select id="flow-connection"></select></label> <label>Windows <select id="flow-stream"></select></label> <span id="flow-note" class="note"></span></div>
          <div id="flow-chart-box"></div>
          <h3>Longest stalls</h3><div id="stalls"></div>
        </section>
        <section id="methods-section"><h2>Per method</h2><div id="methods"></div></section>
        <section id="errors-section"><h2>Errors</h2><div id="errors"></div></section>
        <section id="connections-section"><h2>Connections</h2><div id="connections"></div></section>
        </main>
        <div id="tooltip" hidden></div>
        <aside id="detail" hidden><div class="detail-head"><span id="detail-title"></span><a href="#" id="detail-close" title="Close (Esc)">✕</a></div><div id="detail-body"></div></aside>
        """

    static let text = """
        :root { --fg: #1d232b; --muted: #5f6b7a; --line: #d8dee6; --bg: #ffffff; --panel: #f5f7fa; --accent: #1f5fbf; --stall: rgba(214, 48, 49, 0.3); }
        * { box-sizing: border-box; }
        body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
        header { position: sticky; top: 0; z-index: 5; background: #17202b; color: #fff; padding: 8px 16px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
        header h1 { font-size: 15px; margin: 0; font-weight: 600; }
        header .brand { color: #8fb8ff; }
        header nav a { color: #cfe0ff; margin-right: 12px; text-decoration: none; }
        main { padding: 0 16px 40px; }
        section { margin-top: 18px; }
        h2 { font-size: 15px; margin: 0 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 13px; margin: 14px 0 6px; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eef1f5; vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        code, pre, .mono { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, monospace; font-size: 12px; }
        pre { background: var(--panel); padding: 6px 8px; margin: 4px 0; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-all; }
        a { color: var(--accent); }
        .note { color: var(--muted); }
        .facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; }
        .facts dt { color: var(--muted); } .facts dd { margin: 0; }
        .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
        .toolbar button { min-width: 28px; }
        #legend { display: flex; gap: 10px; flex-wrap: wrap; margin-left: 12px; }
        #legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; background: var(--c); }
        #axis { position: relative; height: 20px; margin-left: 190px; border-bottom: 1px solid var(--line); overflow: hidden; }
        #axis span { position: absolute; top: 2px; font-size: 11px; color: var(--muted); white-space: nowrap; transform: translateX(-50%); }
        #timeline { position: relative; max-height: 70vh; overflow-y: auto; overflow-x: hidden; border: 1px solid var(--line); cursor: grab; user-select: none; }
        #timeline.dragging { cursor: grabbing; }
        #lanes { position: relative; }
        .lane-label { position: absolute; left: 0; width: 186px; padding: 2px 6px; font-size: 11px; color: var(--muted); overflow: hidden; white-space: nowrap; text-overflow: ellipsis; border-right: 1px solid var(--line); background: var(--panel); }
        .lane-rule { position: absolute; left: 0; right: 0; border-top: 1px solid var(--line); }
        .bar, .cluster { position: absolute; height: 11px; border-radius: 2px; min-width: 2px; background: var(--c); cursor: pointer; }
        .bar:hover, .bar.selected { outline: 2px solid #111; z-index: 2; }
        .bar.incomplete { background: repeating-linear-gradient(45deg, var(--c), var(--c) 3px, #fff 3px, #fff 5px); }
        .cluster { background: #7b8796; opacity: 0.7; cursor: zoom-in; }
        #tooltip { position: fixed; z-index: 20; pointer-events: none; background: #17202b; color: #fff; padding: 6px 8px; border-radius: 4px; font-size: 12px; max-width: 520px; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
        #tooltip b { color: #8fb8ff; font-weight: 600; }
        #flow-chart-box .panel-title { fill: var(--fg); font-weight: 600; }
        #flow-chart-box svg { width: 100%; height: 380px; border: 1px solid var(--line); background: #fff; }
        #flow-chart-box .gridline { stroke: #eef1f5; } #flow-chart-box .zero { stroke: #9aa5b1; }
        #flow-chart-box text { font-size: 11px; fill: var(--muted); }
        .stall { fill: var(--stall); } .stall-label { fill: #b02a2b !important; }
        .series-client { stroke: #1f5fbf; } .series-server { stroke: #c2571a; }
        .series-stream { stroke-dasharray: 4 3; stroke-width: 1; opacity: 0.75; }
        .update-mark { stroke: none; }
        .hist { display: inline-block; vertical-align: middle; }
        .status { display: inline-block; padding: 0 6px; margin: 1px 0; border-radius: 8px; color: #fff; background: var(--c); font-size: 11px; font-weight: 600; white-space: nowrap; }
        #methods, #connections { overflow-x: auto; }
        #methods td.mono { overflow-wrap: anywhere; min-width: 22em; }
        .error-group { border: 1px solid var(--line); border-left: 4px solid var(--c); padding: 6px 10px; margin-bottom: 8px; }
        details summary { cursor: pointer; color: var(--accent); }
        #detail { position: fixed; top: 0; right: 0; bottom: 0; width: min(720px, 100%); z-index: 10; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 16px rgba(0,0,0,.15); display: flex; flex-direction: column; }
        #detail[hidden] { display: none; }
        .detail-head { display: flex; justify-content: space-between; gap: 10px; padding: 10px 14px; background: #17202b; color: #fff; font-weight: 600; }
        .detail-head a { color: #fff; text-decoration: none; }
        #detail-body { overflow: auto; padding: 8px 14px 30px; }
        #detail-body h3 { border-bottom: 1px solid var(--line); }
        #detail-body td.mono:first-child { white-space: nowrap; }
        #detail-body td.mono + td.mono { word-break: break-all; }
        #script-error { background: #fde2e1; color: #8a1c1c; padding: 8px 16px; }
        """
}
