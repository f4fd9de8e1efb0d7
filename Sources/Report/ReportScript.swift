/// The report page's script: it reads the data (`Report.json`) from the page and draws every view —
/// the timeline (only the calls in view are elements, so 100,000 calls scroll smoothly), the call
/// detail (`#call=ID` opens one), the flow-control chart with its stalls, and the tables. Plain
/// JavaScript with no library; it fetches nothing.
enum ReportScript {
    static let text = #"""
    "use strict";
    (function () {
      const D = JSON.parse(document.getElementById("report-data").textContent);
      const $ = (id) => document.getElementById(id);
      window.addEventListener("error", (e) => { const box = $("script-error"); box.hidden = false; box.textContent = "Report script error: " + e.message; });

      // Elements: h("td", {class: "num"}, "text", child...)
      function h(tag, attrs, ...children) {
        const el = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
          if (v === undefined || v === null || v === false) continue;
          if (k === "style") el.style.cssText = v; else el.setAttribute(k, v === true ? "" : v);
        }
        for (const c of children.flat(Infinity)) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c));
        return el;
      }
      const SVG = "http://www.w3.org/2000/svg";
      function s(tag, attrs) {
        const el = document.createElementNS(SVG, tag);
        for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
        return el;
      }

      // ---- formatting ----
      function dur(us) {
        const a = Math.abs(us);
        if (a < 1000) return us.toFixed(0) + " µs";
        if (a < 1e6) return (us / 1000).toFixed(a < 1e4 ? 2 : 1) + " ms";
        return (us / 1e6).toFixed(a < 1e7 ? 3 : 1) + " s";
      }
      // A time after the first packet, signed: axes padded before it start below zero.
      function offset(us) { return (us < 0 ? "−" : "+") + dur(Math.abs(us)); }
      function bytes(n) {
        if (n < 1024) return n + " B";
        if (n < 1048576) return (n / 1024).toFixed(1) + " KiB";
        if (n < 1073741824) return (n / 1048576).toFixed(1) + " MiB";
        return (n / 1073741824).toFixed(2) + " GiB";
      }
      const fmtInt = (n) => n.toLocaleString("en-US");
      const STATUS_NAMES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
        "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];
      const STATUS_COLOURS = ["#2e9e4f", "#8a96a3", "#c0392b", "#e0a100", "#e8710a", "#0f8b8d", "#b8860b", "#a83279", "#8e5a2b",
        "#c79a00", "#9c6b00", "#b38f00", "#6c4bc1", "#d63031", "#e84393", "#7f1d1d", "#a83279"];
      const statusName = (code) => code < 0 ? "INCOMPLETE" : (STATUS_NAMES[code] || "CODE_" + code);
      const statusColour = (code) => code < 0 ? "#9aa5b1" : (STATUS_COLOURS[code] || "#555");
      function badge(name, code) { return h("span", {class: "status", style: "--c:" + statusColour(code)}, name); }
      const codeOfName = (name) => { const i = STATUS_NAMES.indexOf(name); return i; };

      // Calls: [id, connection, row, method, status, start, end, requests, responses, reqBytes, respBytes, stream, incomplete]
      const C = D.calls;
      const M = D.methods;
      const callById = (id) => C[id - 1];

      document.title = D.title + " — grpcdump report";
      $("title").textContent = D.title + (D.filter ? "  (" + D.filter + ")" : "");

      // ---- capture ----
      (function capture() {
        const cap = D.capture, box = document.querySelector("#capture .content");
        const facts = h("dl", {class: "facts"});
        const add = (k, v) => facts.append(h("dt", {}, k), h("dd", {}, v));
        add("File", D.title);
        if (cap.format) add("Format", cap.format);
        add("Packets", fmtInt(cap.packets) + " (" + bytes(cap.bytes) + "), " + fmtInt(cap.tcp_packets) + " TCP" +
          (cap.skipped_packets ? ", " + fmtInt(cap.skipped_packets) + " skipped" : "") + (cap.truncated_packets ? ", " + fmtInt(cap.truncated_packets) + " truncated" : ""));
        if (cap.start) add("Start", cap.start.replace("T", " ").replace(/\.(\d{6})\d*Z$/, ".$1 UTC"));
        if (cap.duration_us !== undefined) add("Duration", dur(cap.duration_us));
        add("Connections", fmtInt(D.connections.length));
        add("Calls", fmtInt(cap.calls) + (cap.calls !== cap.calls_decoded ? " shown of " + fmtInt(cap.calls_decoded) + " decoded" : "") +
          (cap.incomplete ? ", " + fmtInt(cap.incomplete) + " incomplete" : ""));
        if (D.filter) add("Filter", D.filter);
        box.append(facts);
        const problems = [];
        for (const d of cap.diagnostics) problems.push(h("li", {}, h("code", {}, d.code), " × " + fmtInt(d.count) + ": " + d.first));
        D.connections.forEach((c, i) => {
          const bits = [];
          if (c.tcp && c.tcp.gaps) bits.push(fmtInt(c.tcp.gaps) + " gap" + (c.tcp.gaps > 1 ? "s" : "") + " (" + bytes(c.tcp.gap_bytes) + " missing)");
          if (c.tcp && c.tcp.retransmissions) bits.push(fmtInt(c.tcp.retransmissions) + " retransmissions");
          if (c.tcp && c.tcp.out_of_order) bits.push(fmtInt(c.tcp.out_of_order) + " out of order");
          if (c.violations) bits.push(fmtInt(c.violations) + " protocol problem" + (c.violations > 1 ? "s" : ""));
          if (c.tls && !c.tls.decrypted) bits.push("TLS not decrypted: " + (c.tls.not_decrypted || "no keys"));
          if (bits.length) problems.push(h("li", {}, h("a", {href: "#connection-" + i}, "connection " + (i + 1)), " " + c.client + " → " + c.server + ": " + bits.join("; ")));
        });
        if (problems.length > 200) problems.splice(200, problems.length - 200, h("li", {class: "note"}, fmtInt(problems.length - 200) + " more not listed"));
        box.append(h("h3", {}, "Problems"), problems.length ? h("ul", {class: "problems"}, problems) : h("p", {class: "note"}, "None found."));
      })();

      // ---- timeline ----
      const ROW = 14, LANE_HEAD = 18, LABEL = 190, MAX_BARS = 20000;
      const lanes = [];  // {connection, top, rows: [[call indices sorted by start]]}
      (function layout() {
        const byConnection = new Map();
        C.forEach((c, i) => { if (!byConnection.has(c[1])) byConnection.set(c[1], []); byConnection.get(c[1]).push(i); });
        let top = 0;
        for (const conn of [...byConnection.keys()].sort((a, b) => a - b)) {
          const rows = [];
          for (const i of byConnection.get(conn)) { const r = C[i][2]; (rows[r] || (rows[r] = [])).push(i); }
          for (let r = 0; r < rows.length; r++) rows[r] = rows[r] || [];
          lanes.push({connection: conn, top: top, rows: rows});
          top += LANE_HEAD + rows.length * ROW + 6;
        }
        $("lanes").style.height = Math.max(top, 40) + "px";
      })();
      let minT = Infinity, maxT = -Infinity;
      for (const c of C) { if (c[5] < minT) minT = c[5]; if (c[6] > maxT) maxT = c[6]; }
      if (!C.length) { minT = 0; maxT = 1; }
      if (maxT - minT < 10) maxT = minT + 10;
      const pad = (maxT - minT) * 0.01;
      const full = [Math.max(Math.min(0, minT), minT - pad), maxT + pad];
      let view = full.slice();
      const timeline = $("timeline"), lanesBox = $("lanes");

      (function legend() {
        const seen = new Set(C.map((c) => c[4]));
        for (const code of [...seen].sort((a, b) => a - b)) $("legend").append(h("span", {style: "--c:" + statusColour(code)}, statusName(code)));
      })();

      function plotWidth() { return Math.max(100, timeline.clientWidth - LABEL - 4); }
      function xOf(t, width) { return LABEL + (t - view[0]) / (view[1] - view[0]) * width; }

      function drawAxis(width) {
        const axis = $("axis");
        axis.textContent = "";
        const span = view[1] - view[0];
        const raw = span / Math.max(2, Math.floor(width / 110));
        const p = Math.pow(10, Math.floor(Math.log10(raw)));
        const step = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw);
        for (let t = Math.ceil(view[0] / step) * step; t <= view[1]; t += step) {
          const x = (t - view[0]) / span * width, edge = x < 40 ? "translateX(0)" : x > width - 40 ? "translateX(-100%)" : "";
          axis.append(h("span", {style: "left:" + x + "px" + (edge ? ";transform:" + edge : "")}, offset(t)));
        }
        $("timeline-range").textContent = dur(view[0]) + " – " + dur(view[1]) + " after the first packet";
      }

      // First call of a row (sorted by start, non-overlapping, so ends are sorted too) ending at or after t.
      function firstEndingAfter(row, t) {
        let lo = 0, hi = row.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (C[row[mid]][6] < t) lo = mid + 1; else hi = mid; }
        return lo;
      }

      let pending = false;
      function schedule() { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } }

      function draw() {
        const width = plotWidth();
        drawAxis(width);
        const fragment = document.createDocumentFragment();
        const yMin = timeline.scrollTop - 50, yMax = timeline.scrollTop + timeline.clientHeight + 50;
        let bars = 0, clustered = 0;
        for (const lane of lanes) {
          const laneHeight = LANE_HEAD + lane.rows.length * ROW;
          if (lane.top + laneHeight < yMin || lane.top > yMax) continue;
          const c = D.connections[lane.connection];
          fragment.append(h("div", {class: "lane-rule", style: "top:" + lane.top + "px"}));
          fragment.append(h("div", {class: "lane-label", style: "top:" + lane.top + "px;height:" + laneHeight + "px", title: c.client + " → " + c.server},
            "#" + (lane.connection + 1) + " " + c.client + " → " + c.server));
          for (let r = 0; r < lane.rows.length; r++) {
            const y = lane.top + LANE_HEAD + r * ROW;
            if (y + ROW < yMin || y > yMax) continue;
            const row = lane.rows[r];
            let lastRight = -Infinity, cluster = null;
            for (let k = firstEndingAfter(row, view[0]); k < row.length; k++) {
              const call = C[row[k]];
              if (call[5] > view[1]) break;
              const left = Math.max(LABEL, xOf(call[5], width)), right = Math.min(LABEL + width, xOf(call[6], width));
              if (bars >= MAX_BARS || (row.length > 500 && left < lastRight + 1)) {
                // Too dense to tell apart: drawn as one grey block that zooms in when clicked.
                if (!cluster) { cluster = {left: left, right: right, count: 1, y: y, start: call[5], end: call[6]}; }
                else { cluster.right = Math.max(cluster.right, right); cluster.count++; cluster.end = Math.max(cluster.end, call[6]); }
                clustered++;
                lastRight = Math.max(lastRight, right);
                continue;
              }
              if (cluster) { fragment.append(clusterElement(cluster)); cluster = null; }
              const el = h("div", {class: "bar" + (call[12] ? " incomplete" : ""), "data-call-id": call[0],
                style: "left:" + left.toFixed(1) + "px;top:" + (y + 1) + "px;width:" + Math.max(2, right - left).toFixed(1) + "px;--c:" + statusColour(call[4])});
              fragment.append(el);
              bars++;
              lastRight = Math.max(left + 2, right);
            }
            if (cluster) fragment.append(clusterElement(cluster));
          }
        }
        lanesBox.replaceChildren(fragment);
        const note = $("timeline-note");
        note.hidden = clustered === 0;
        note.textContent = clustered ? fmtInt(clustered) + " calls too close together to draw apart are shown as grey blocks: zoom in (click one) to see them." : "";
      }
      function clusterElement(cl) {
        return h("div", {class: "cluster", "data-start": cl.start, "data-end": cl.end, title: cl.count + " calls: click to zoom in",
          style: "left:" + cl.left.toFixed(1) + "px;top:" + (cl.y + 1) + "px;width:" + Math.max(2, cl.right - cl.left).toFixed(1) + "px"});
      }

      function zoom(factor, centreT) {
        const span = view[1] - view[0];
        const c = centreT === undefined ? (view[0] + view[1]) / 2 : centreT;
        let next = Math.min(full[1] - full[0], Math.max(5, span * factor));
        let a = c - (c - view[0]) / span * next;
        setView(a, a + next);
      }
      function setView(a, b) {
        const span = b - a, fullSpan = full[1] - full[0];
        if (span >= fullSpan) { view = full.slice(); }
        else { if (a < full[0]) { a = full[0]; } if (a + span > full[1]) { a = full[1] - span; } view = [a, a + span]; }
        schedule();
      }
      $("zoom-in").onclick = () => zoom(0.5);
      $("zoom-out").onclick = () => zoom(2);
      $("zoom-fit").onclick = () => setView(full[0], full[1]);
      timeline.addEventListener("scroll", schedule, {passive: true});
      window.addEventListener("resize", schedule);
      timeline.addEventListener("wheel", (e) => {
        const width = plotWidth(), x = e.clientX - timeline.getBoundingClientRect().left - LABEL;
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          zoom(e.deltaY > 0 ? 1.25 : 0.8, view[0] + Math.max(0, x) / width * (view[1] - view[0]));
        } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          e.preventDefault();
          const d = (e.deltaX || e.deltaY) / width * (view[1] - view[0]);
          setView(view[0] + d, view[1] + d);
        }
      }, {passive: false});
      let drag = null;
      timeline.addEventListener("mousedown", (e) => { if (e.button === 0) drag = {x: e.clientX, view: view.slice(), moved: false}; });
      window.addEventListener("mousemove", (e) => {
        if (!drag) return;
        const dx = e.clientX - drag.x;
        if (Math.abs(dx) > 3) { drag.moved = true; timeline.classList.add("dragging"); }
        if (drag.moved) { const d = -dx / plotWidth() * (drag.view[1] - drag.view[0]); setView(drag.view[0] + d, drag.view[1] + d); }
      });
      window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); timeline.classList.remove("dragging"); });

      const tooltip = $("tooltip");
      lanesBox.addEventListener("mousemove", (e) => {
        const bar = e.target.closest(".bar");
        if (!bar) { tooltip.hidden = true; return; }
        const call = callById(+bar.dataset.callId);
        tooltip.replaceChildren(
          h("b", {}, M[call[3]]), h("br"),
          statusName(call[4]) + " · " + dur(call[6] - call[5]) + " · " + call[7] + " request" + (call[7] === 1 ? "" : "s") + ", " +
            call[8] + " response" + (call[8] === 1 ? "" : "s"), h("br"),
          "call " + call[0] + " · connection " + (call[1] + 1) + " stream " + call[11] + " · at +" + dur(call[5]));
        tooltip.hidden = false;
        tooltip.style.left = Math.min(e.clientX + 14, window.innerWidth - 360) + "px";
        tooltip.style.top = (e.clientY + 14) + "px";
      });
      lanesBox.addEventListener("mouseleave", () => { tooltip.hidden = true; });
      lanesBox.addEventListener("click", (e) => {
        if (drag && drag.moved) return;
        const bar = e.target.closest(".bar");
        if (bar) { location.hash = "call=" + bar.dataset.callId; return; }
        const cl = e.target.closest(".cluster");
        if (cl) { const a = +cl.dataset.start, b = +cl.dataset.end, m = (b - a) * 0.1 + 5; setView(a - m, b + m); }
      });

      // ---- call detail ----
      function headerTable(obj) {
        const names = Object.keys(obj || {});
        if (!names.length) return h("p", {class: "note"}, "none");
        return h("table", {}, names.map((n) => obj[n].map((v) => h("tr", {}, h("td", {class: "mono"}, n), h("td", {class: "mono"}, v)))));
      }
      function messageBlock(m, i) {
        const head = "#" + (i + 1) + " · " + bytes(m.length) + (m.compressed ? " compressed" : "") + (m.type ? " · " + m.type : "") + " · packet " + m.packet;
        let body;
        if (m.omitted) body = h("p", {class: "note"}, "Not shown inline: " + m.omitted + ". grpcdump -v shows it in full.");
        else if (m.json !== undefined) body = h("pre", {}, JSON.stringify(m.json, null, 2));
        else if (m.raw_tree !== undefined) body = h("pre", {}, JSON.stringify(m.raw_tree, null, 2));
        else body = h("p", {class: "note"}, m.problem || "no bytes captured");
        return h("div", {class: "message"}, h("div", {class: "note"}, head, m.problem && m.json !== undefined ? " · " + m.problem : ""), body);
      }
      // Details are deflated chunks of JSON arrays, inflated by the browser when first needed.
      const chunks = new Map();
      function detailOf(id) {
        const call = callById(id);
        if (!chunks.has(call[13])) {
          const bytes = Uint8Array.from(atob(D.detail_chunks[call[13]]), (c) => c.charCodeAt(0));
          chunks.set(call[13], new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"))).text().then(JSON.parse));
        }
        return chunks.get(call[13]).then((list) => list[call[14]]);
      }
      let shownDetail = 0;
      function openDetail(id) {
        const call = callById(id);
        if (!call) return closeDetail();
        shownDetail = id;
        document.querySelectorAll(".bar.selected").forEach((b) => b.classList.remove("selected"));
        const bar = document.querySelector('.bar[data-call-id="' + id + '"]');
        if (bar) bar.classList.add("selected");
        $("detail-title").textContent = "Call " + id + " · " + M[call[3]];
        $("detail-body").replaceChildren(h("p", {class: "note"}, "Loading…"));
        $("detail").hidden = false;
        detailOf(id).then((d) => { if (shownDetail === id) fillDetail(id, call, d); },
          (e) => { $("detail-body").replaceChildren(h("p", {class: "note"}, "This call's detail could not be read: " + e)); });
      }
      function fillDetail(id, call, d) {
        const body = $("detail-body");
        body.textContent = "";
        const facts = h("dl", {class: "facts"});
        const add = (k, v) => facts.append(h("dt", {}, k), h("dd", {}, v));
        add("Status", d.status ? [badge(d.status.name || "unknown", d.status.code === null ? -1 : d.status.code), d.status.message ? " " + d.status.message : "", d.status.source && d.status.source !== "trailers" ? " (from " + d.status.source + ")" : ""] : badge(d.incomplete ? "INCOMPLETE" : "UNKNOWN", -1));
        add("Latency", dur(d.latency_ns / 1000) + (d.timeout_ns ? " (deadline " + dur(d.timeout_ns / 1000) + ")" : ""));
        add("Connection", "#" + (call[1] + 1) + " " + (d.client || "") + " → " + (d.server || "") + ", stream " + d.stream_id + ", " + d.protocol);
        if (d.tls) add("TLS", [d.tls.version, d.tls.cipher, d.tls.sni && "SNI " + d.tls.sni, d.tls.alpn && "ALPN " + d.tls.alpn, d.tls.resumed && "resumed"].filter(Boolean).join(", "));
        add("Start", d.start + " (+" + dur(call[5]) + ")");
        add("Messages", d.requests.length + " request" + (d.requests.length === 1 ? "" : "s") + ", " + d.responses.length + " response" + (d.responses.length === 1 ? "" : "s"));
        body.append(facts);
        if (d.warnings && d.warnings.length) body.append(h("h3", {}, "Warnings"), h("ul", {}, d.warnings.map((w) => h("li", {}, w))));
        if (d.notes && d.notes.length) body.append(h("h3", {}, "Notes"), h("ul", {}, d.notes.map((w) => h("li", {}, w))));
        body.append(h("h3", {}, "Request headers"), headerTable(d.request_headers));
        body.append(h("h3", {}, "Response headers"), headerTable(d.response_headers));
        body.append(h("h3", {}, "Trailers"), headerTable(d.trailers));
        if (d.status && (d.status.details || d.status.details_other)) {
          body.append(h("h3", {}, "Status details"), h("pre", {}, JSON.stringify(d.status.details || [], null, 2)));
          if (d.status.details_other) body.append(h("pre", {}, JSON.stringify(d.status.details_other, null, 2)));
        }
        body.append(h("h3", {}, "Requests"), h("div", {class: "messages"}, d.requests.length ? d.requests.map(messageBlock) : h("p", {class: "note"}, "none")));
        body.append(h("h3", {}, "Responses"), h("div", {class: "messages"}, d.responses.length ? d.responses.map(messageBlock) : h("p", {class: "note"}, "none")));
        const frames = d.frames || [];
        body.append(h("h3", {}, "HTTP/2 frames"), frames.length ? h("table", {class: "frames"},
          h("tr", {}, h("th", {class: "num"}, "at"), h("th", {}, ""), h("th", {}, "frame"), h("th", {class: "num"}, "length"), h("th", {}, "notes")),
          frames.map((f) => h("tr", {}, h("td", {class: "num"}, offset(f[0])), h("td", {}, f[1] ? "←" : "→"),
            h("td", {class: "mono"}, f[2] + (f[3].length ? " [" + f[3].join(", ") + "]" : "")), h("td", {class: "num"}, f[4]),
            h("td", {}, f[5].join("; "))))) : h("p", {class: "note"}, "none (not an HTTP/2 call)"));
        if (d.frames_omitted) body.append(h("p", {class: "note"}, fmtInt(d.frames_omitted) + " more frames not listed."));
        document.body.setAttribute("data-detail", id);
      }
      function closeDetail() { shownDetail = 0; $("detail").hidden = true; document.querySelectorAll(".bar.selected").forEach((b) => b.classList.remove("selected")); }
      function route() {
        const m = /^#call=(\d+)$/.exec(location.hash);
        if (m) openDetail(+m[1]); else closeDetail();
      }
      $("detail-close").onclick = (e) => { e.preventDefault(); history.replaceState(null, "", location.pathname + location.search); closeDetail(); };
      document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("detail-close").click(); });
      window.addEventListener("hashchange", route);
      const callLink = (id) => h("a", {href: "#call=" + id}, "call " + id);

      // ---- flow control ----
      const flowSelect = $("flow-connection"), streamSelect = $("flow-stream");
      D.flow.forEach((f, i) => {
        const c = D.connections[f.connection];
        flowSelect.append(h("option", {value: i}, "#" + (f.connection + 1) + " " + c.client + " → " + c.server + (f.stall_count ? " (" + f.stall_count + " stall" + (f.stall_count > 1 ? "s" : "") + ")" : "")));
      });
      // The connection with the most stalls first.
      let firstFlow = 0;
      D.flow.forEach((f, i) => { if (f.stall_count > D.flow[firstFlow].stall_count) firstFlow = i; });
      flowSelect.value = firstFlow;
      function fillStreams() {
        const f = D.flow[+flowSelect.value];
        streamSelect.textContent = "";
        streamSelect.append(h("option", {value: "all"}, "connection and every stream"), h("option", {value: "0"}, "connection only"));
        if (!f) return;
        const streams = [...new Set(f.points.filter((p) => p[2] !== 0).map((p) => p[2]))].sort((a, b) => a - b);
        for (const st of streams.slice(0, 500)) streamSelect.append(h("option", {value: st}, "stream " + st));
      }
      function drawFlow() {
        const box = $("flow-chart-box"), f = D.flow[+flowSelect.value];
        box.textContent = "";
        if (!f) { box.append(h("p", {class: "note"}, "No flow-control changes (no HTTP/2 DATA or WINDOW_UPDATE) in this capture.")); return; }
        $("flow-note").textContent = (f.known ? "" : "Connection joined mid-way: windows are counted from 65,535, not known. ") +
          (f.omitted ? fmtInt(f.omitted) + " later changes not drawn." : "");
        const which = streamSelect.value;
        const shown = (p) => which === "all" || (which !== "0" && +which === p[2]);
        let t0 = Infinity, t1 = -Infinity;
        for (const p of f.points) { t0 = Math.min(t0, p[0]); t1 = Math.max(t1, p[0]); }
        for (const st of f.stalls) { t0 = Math.min(t0, st.start_us); t1 = Math.max(t1, st.end_us); }
        if (t1 - t0 < 10) t1 = t0 + 10;
        const span = t1 - t0; t0 -= span * 0.02; t1 += span * 0.02;
        // One panel per sender, each with its own scale: a client's 64 KiB and a server's 8 MiB
        // windows cannot share one axis.
        const W = 1000, PH = 170, L = 70, R = 10, B = 26;
        const svg = s("svg", {viewBox: "0 0 " + W + " " + (2 * PH + B), preserveAspectRatio: "none", role: "img", "aria-label": "Flow-control send windows over time"});
        const x = (t) => L + (t - t0) / (t1 - t0) * (W - L - R);
        ["client", "server"].forEach((side, panel) => {
          const top = panel * PH + 16, bottom = (panel + 1) * PH - 6;
          const pts = f.points.filter((p) => p[1] === panel);
          let lo = 0, hi = 1;
          for (const p of pts) {
            lo = Math.min(lo, p[3]); hi = Math.max(hi, p[3]);
            if (p[4] !== null && shown(p)) { lo = Math.min(lo, p[4]); hi = Math.max(hi, p[4]); }
          }
          const y = (v) => top + (hi - v) / (hi - lo) * (bottom - top);
          const title = s("text", {x: L, y: top - 4, class: "panel-title"});
          title.textContent = side + " → " + (side === "client" ? "server" : "client") + ": the " + side + "'s send windows" + (pts.length ? "" : " (no changes)");
          svg.append(title);
          for (let i = 0; i <= 2; i++) {
            const v = lo + (hi - lo) * i / 2;
            svg.append(s("line", {class: "gridline", x1: L, x2: W - R, y1: y(v), y2: y(v)}));
            const label = s("text", {x: L - 6, y: y(v) + 4, "text-anchor": "end"}); label.textContent = bytes(Math.round(v)); svg.append(label);
          }
          svg.append(s("line", {class: "zero", x1: L, x2: W - R, y1: y(0), y2: y(0)}));
          // Windows as steps: each DATA lowers them, each WINDOW_UPDATE raises them.
          const series = new Map();
          const push = (key, t, v, isData) => { if (!series.has(key)) series.set(key, []); series.get(key).push([t, v, isData]); };
          for (const p of pts) {
            push("0", p[0], p[3], p[5]);
            if (p[4] !== null && shown(p)) push(String(p[2]), p[0], p[4], p[5]);
          }
          for (const [key, ser] of series) {
            let d = "";
            for (const [t, v] of ser) d += (d ? "H" + x(t).toFixed(1) + "V" : "M" + x(t).toFixed(1) + ",") + y(v).toFixed(1);
            d += "H" + x(t1).toFixed(1);
            svg.append(s("path", {d: d, fill: "none", class: "series-" + side + (key === "0" ? "" : " series-stream"), "stroke-width": key === "0" ? 1.6 : 1,
              "data-series": key === "0" ? "connection" : "stream " + key}));
            if (ser.length <= 3000) for (const [t, v, isData] of ser) if (!isData) svg.append(s("circle", {class: "update-mark", cx: x(t), cy: y(v), r: 2.2, fill: side === "client" ? "#1f5fbf" : "#c2571a"}));
          }
          // Stalls, over the windows: the periods this sender could not send, with their duration.
          for (const st of f.stalls) {
            if (st.sender !== side || !(which === "all" || (which === "0" ? st.connection_window : +which === st.stream))) continue;
            const rect = s("rect", {class: "stall", x: x(st.start_us), y: top, width: Math.max(2, x(st.end_us) - x(st.start_us)), height: bottom - top,
              "data-duration-us": st.duration_us, "data-stream": st.stream, "data-sender": st.sender});
            if (st.call) rect.setAttribute("data-call-id", st.call);
            const tip = s("title"); tip.textContent = st.sender + " blocked (" + st.windows + ") for " + dur(st.duration_us) + (st.ended ? "" : ", still blocked at the end") + (st.call ? "; call " + st.call : "");
            rect.append(tip); svg.append(rect);
            if (x(st.end_us) - x(st.start_us) > 44) { const t = s("text", {class: "stall-label", x: (x(st.start_us) + x(st.end_us)) / 2, y: top + 12, "text-anchor": "middle"}); t.textContent = dur(st.duration_us); svg.append(t); }
          }
        });
        for (let i = 0; i <= 5; i++) {
          const t = t0 + (t1 - t0) * i / 5;
          const label = s("text", {x: x(t), y: 2 * PH + B - 8, "text-anchor": i === 0 ? "start" : i === 5 ? "end" : "middle"}); label.textContent = offset(t); svg.append(label);
        }
        box.append(svg, h("div", {class: "note"}, "Each sender's connection window (solid) and stream windows (dashed); dots: WINDOW_UPDATE received; shaded: the sender blocked at a zero window, with how long."));
      }
      flowSelect.onchange = () => { fillStreams(); drawFlow(); };
      streamSelect.onchange = drawFlow;
      fillStreams();
      drawFlow();
      (function stallList() {
        const box = $("stalls");
        if (!D.stalls.length) { box.append(h("p", {class: "note"}, "No sender was blocked by flow control.")); return; }
        box.append(h("table", {}, h("tr", {}, h("th", {class: "num"}, "blocked for"), h("th", {}, "sender"), h("th", {}, "exhausted window"), h("th", {}, "connection"), h("th", {class: "num"}, "from"), h("th", {}, "call")),
          D.stalls.map((st) => h("tr", {}, h("td", {class: "num"}, dur(st.duration_us) + (st.ended ? "" : "+")), h("td", {}, st.sender), h("td", {}, st.windows),
            h("td", {}, "#" + (st.connection + 1)), h("td", {class: "num"}, offset(st.start_us)), h("td", {}, st.call ? callLink(st.call) : "—")))));
      })();

      // ---- per method ----
      (function methods() {
        const edges = D.histogram_edges_us;
        const box = $("methods");
        if (!D.stats.length) { box.append(h("p", {class: "note"}, "No calls.")); return; }
        const histogram = (counts) => {
          const max = Math.max(...counts), svg = s("svg", {class: "hist", width: counts.length * 4, height: 22, viewBox: "0 0 " + counts.length * 4 + " 22"});
          counts.forEach((n, i) => {
            if (!n) return;
            const hgt = Math.max(1.5, n / max * 20), r = s("rect", {x: i * 4, y: 22 - hgt, width: 3, height: hgt, fill: "#1f5fbf"});
            const t = s("title"); t.textContent = n + " call" + (n > 1 ? "s" : "") + " " + (i === 0 ? "under " + dur(edges[0]) : i === edges.length ? "over " + dur(edges[i - 1]) : dur(edges[i - 1]) + "–" + dur(edges[i]));
            r.append(t); svg.append(r);
          });
          return svg;
        };
        box.append(h("table", {},
          h("tr", {}, ["method", "calls", "errors", "statuses", "p50", "p90", "p99", "max", "request bytes", "response bytes", "latency (10 µs … 100 s, log)"].map((t, i) => h("th", {class: i === 0 || i === 3 || i === 10 ? "" : "num"}, t))),
          D.stats.map((m) => h("tr", {},
            h("td", {class: "mono"}, m.method), h("td", {class: "num"}, fmtInt(m.calls)), h("td", {class: "num"}, fmtInt(m.errors)),
            h("td", {}, Object.entries(m.statuses).map(([n, c]) => [badge(n + " " + c, n === "INCOMPLETE" || n === "UNKNOWN" ? -1 : codeOfName(n)), " "])),
            m.latency_us.map((v) => h("td", {class: "num"}, dur(v))),
            h("td", {class: "num"}, bytes(m.request_bytes)), h("td", {class: "num"}, bytes(m.response_bytes)), h("td", {}, histogram(m.histogram))))));
      })();

      // ---- errors ----
      (function errors() {
        const box = $("errors");
        if (!D.errors.length) { box.append(h("p", {class: "note"}, "Every call ended OK.")); return; }
        for (const g of D.errors) {
          const el = h("div", {class: "error-group", style: "--c:" + statusColour(g.code === undefined ? -1 : g.code)},
            h("div", {}, badge(g.status, g.code === undefined ? -1 : g.code), " ", h("b", {}, fmtInt(g.count) + " call" + (g.count > 1 ? "s" : "")), g.message ? " · " + g.message : ""),
            h("div", {class: "note"}, "methods: " + [...new Set(g.calls.map((id) => M[callById(id)[3]]))].join(", ")),
            h("div", {}, g.calls.slice(0, 30).map((id) => [callLink(id), " "]), g.count > 30 ? "and " + fmtInt(g.count - 30) + " more" : ""));
          if (g.details_in) {
            const pre = h("pre", {}, "Loading…"), more = h("details", {}, h("summary", {}, "status details (call " + g.details_in + ")"), pre);
            more.addEventListener("toggle", () => { detailOf(g.details_in).then((d) => { pre.textContent = JSON.stringify(d.status.details, null, 2); }); }, {once: true});
            el.append(more);
          }
          box.append(el);
        }
      })();

      // ---- connections ----
      (function connections() {
        const box = $("connections");
        if (!D.connections.length) { box.append(h("p", {class: "note"}, "No TCP connections.")); return; }
        // At most 1,000 rows: those with calls or problems first (a SYN flood is 100,000 empty connections).
        const LIMIT = 1000, notable = (c) => c.calls || c.violations || (c.tcp && (c.tcp.gaps || c.tcp.retransmissions)) || (c.tls && !c.tls.decrypted);
        const order = D.connections.map((c, i) => i);
        const listed = order.filter((i) => notable(D.connections[i])).concat(order.filter((i) => !notable(D.connections[i]))).slice(0, LIMIT).sort((a, b) => a - b);
        if (listed.length < D.connections.length) box.append(h("p", {class: "note"}, fmtInt(D.connections.length - listed.length) + " more connections, with no call and no problem, are not listed."));
        box.append(h("table", {}, h("tr", {}, ["#", "client → server", "protocol", "TLS", "calls", "bytes →/←", "retrans.", "gaps", "problems", "closed"].map((t) => h("th", {}, t))),
          listed.map((i) => [D.connections[i], i]).map(([c, i]) => h("tr", {id: "connection-" + i},
            h("td", {}, i + 1), h("td", {class: "mono"}, c.client + " → " + c.server), h("td", {}, c.protocol),
            h("td", {}, c.tls ? [c.tls.version, c.tls.cipher, c.tls.sni, c.tls.decrypted ? "decrypted" : "not decrypted: " + (c.tls.not_decrypted || "")].filter(Boolean).join(", ") : "—"),
            h("td", {class: "num"}, fmtInt(c.calls)), h("td", {class: "num"}, c.tcp ? bytes(c.tcp.bytes[0]) + " / " + bytes(c.tcp.bytes[1]) : ""),
            h("td", {class: "num"}, c.tcp ? c.tcp.retransmissions : ""), h("td", {class: "num"}, c.tcp ? c.tcp.gaps : ""),
            h("td", {}, c.problems.length ? h("details", {}, h("summary", {}, fmtInt(c.violations)), h("ul", {}, c.problems.map((p) => h("li", {}, p)))) : "0"),
            h("td", {}, c.closed || "open at end")))));
      })();

      draw();
      route();
      document.body.setAttribute("data-ready", "1");
      document.body.setAttribute("data-loaded-ms", Math.round(performance.now()));
      // `#benchmark`: the page times its own redrawing while scrolling and zooming
      // (scripts/benchmark/report.sh reads the figures from the DOM).
      if (location.hash === "#benchmark") {
        const rounds = 40, started = performance.now();
        let most = 0;
        for (let i = 0; i < rounds; i++) {
          timeline.scrollTop = (i * 97) % Math.max(1, lanesBox.offsetHeight);
          if (i % 10 === 5) zoom(i % 20 === 5 ? 0.25 : 4);
          const t = performance.now();
          draw();
          void lanesBox.offsetHeight;  // the layout is part of the cost
          most = Math.max(most, performance.now() - t);
        }
        document.body.setAttribute("data-draw-ms", ((performance.now() - started) / rounds).toFixed(2));
        document.body.setAttribute("data-draw-max-ms", most.toFixed(2));
        document.body.setAttribute("data-bars", document.querySelectorAll("#lanes .bar").length);
      }
    })();
    """#
}
