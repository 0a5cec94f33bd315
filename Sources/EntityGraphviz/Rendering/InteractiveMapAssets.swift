// The interactive map's style sheet and script, inlined into every page (the page's
// Content-Security-Policy allows exactly these two by hash). The script reads the graph from the
// `eg-data` JSON block and the drawing from the inline SVG; it writes text only through
// `textContent` and never evaluates anything it reads.

enum InteractiveMapAssets {
    static let style = """
        :root { color-scheme: light; --accent: #c2185b; --line: #d0d0d0; --muted: #5f6368; }
        * { box-sizing: border-box; }
        html, body { margin: 0; height: 100%; }
        body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, "DejaVu Sans", "Segoe UI", sans-serif; color: #1a1a1a; background: #fafafa; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 12px; border-bottom: 1px solid var(--line); background: #fff; }
        h1 { font-size: 16px; margin: 0 8px 0 0; font-weight: 600; }
        h2 { font-size: 13px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        input, button { font: inherit; }
        button { border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 3px 10px; cursor: pointer; }
        button:hover { border-color: #999; }
        .eg-find { position: relative; }
        #eg-search { width: 280px; padding: 4px 8px; border: 1px solid #bbb; border-radius: 4px; }
        #eg-results { position: absolute; z-index: 20; left: 0; top: 100%; margin: 2px 0 0; padding: 2px 0; list-style: none; min-width: 280px; max-height: 320px; overflow-y: auto; background: #fff; border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 4px 12px rgba(0,0,0,.15); }
        #eg-results li { padding: 4px 10px; cursor: pointer; }
        #eg-results li[aria-selected="true"], #eg-results li:hover { background: #fce4ec; }
        #eg-results .eg-aside { color: var(--muted); font-size: 12px; margin-left: 6px; }
        .eg-when { display: flex; align-items: center; gap: 6px; }
        .eg-when[hidden] { display: none; }
        #eg-date-range { width: 220px; }
        #eg-date { font: inherit; width: 7.5em; }
        #eg-date[aria-invalid="true"] { outline: 2px solid #b00020; }
        .eg-heading { display: flex; flex-direction: column; }
        .eg-subtitle { margin: 0; color: #555; font-size: 13px; }
        main { flex: 1; display: flex; min-height: 0; }
        #eg-map { flex: 1; min-width: 0; position: relative; overflow: hidden; background: #fff; cursor: grab; touch-action: none; }
        #eg-map.eg-dragging { cursor: grabbing; }
        #eg-map > svg { display: block; width: 100%; height: 100%; }
        aside { width: 320px; flex: none; overflow-y: auto; padding: 12px; border-left: 1px solid var(--line); background: #fff; }
        aside section { margin-bottom: 16px; }
        .eg-hint { color: var(--muted); margin: 0; }
        .eg-legend-list { list-style: none; margin: 0; padding: 0; }
        .eg-legend-list li { display: flex; align-items: center; gap: 8px; padding: 1px 0; }
        .eg-swatch { flex: none; }
        #eg-details h3 { margin: 0 0 2px; font-size: 15px; }
        #eg-details .eg-kind { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
        #eg-details p { margin: 0 0 6px; }
        #eg-details ul { margin: 4px 0 0; padding-left: 18px; }
        #eg-details li { margin-bottom: 3px; }
        .eg-legend-list label { display: flex; align-items: center; gap: 6px; cursor: pointer; }
        .eg-legend-list input { margin: 0; }
        .eg-legend-list .eg-legend-group { margin-top: 6px; color: var(--muted); font-size: 12px; }
        #eg-details dl.eg-attributes { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0 0 6px; font-size: 12px; }
        #eg-details dl.eg-attributes dt { color: var(--muted); }
        #eg-details dl.eg-attributes dd { margin: 0; overflow-wrap: anywhere; }
        #eg-details .eg-link { color: #1a5fb4; cursor: pointer; text-decoration: underline; }
        #eg-status { color: var(--muted); font-size: 12px; margin: 0; }
        #eg-tooltip { position: fixed; z-index: 30; max-width: 360px; padding: 6px 9px; background: #263238; color: #fff; border-radius: 4px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,.3); white-space: pre-wrap; overflow-wrap: anywhere; }
        #eg-tooltip strong { display: block; font-size: 13px; margin-bottom: 2px; }
        #eg-tooltip .eg-row { display: block; }
        #eg-map g.entity, #eg-map g.relation { cursor: pointer; }
        #eg-map.eg-animate g.entity, #eg-map.eg-animate g.relation { transition: opacity .15s; }
        #eg-map.eg-focus g.entity:not(.eg-bright), #eg-map.eg-focus g.relation:not(.eg-bright) { opacity: .12; }
        #eg-map .eg-hidden { display: none; }
        #eg-map g.eg-selected > g > a > ellipse, #eg-map g.eg-selected > g > a > polygon, #eg-map g.eg-selected > g > a > path,
        #eg-map g.eg-selected > ellipse, #eg-map g.eg-selected > polygon { stroke: var(--accent); stroke-width: 3.5px; }
        #eg-map g.eg-bright.relation path { stroke-width: 2.2px; }
        """

    static let script = """
        (function () {
          "use strict";
          var data = JSON.parse(document.getElementById("eg-data").textContent);
          var map = document.getElementById("eg-map");
          var svg = map.querySelector("svg");
          var tooltip = document.getElementById("eg-tooltip");
          var search = document.getElementById("eg-search");
          var results = document.getElementById("eg-results");
          var when = document.getElementById("eg-when");
          var dateField = document.getElementById("eg-date");
          var dateRange = document.getElementById("eg-date-range");
          var allDates = document.getElementById("eg-date-all");
          var details = document.getElementById("eg-details");
          var status = document.getElementById("eg-status");
          var XLINK = "http://www.w3.org/1999/xlink";

          var entities = data.entities, relations = data.relations;
          var byGroup = new Map();
          entities.forEach(function (e) {
            e.type = "entity";
            e.el = document.getElementById(e.g);
            e.links = [];
            byGroup.set(e.g, e);
          });
          relations.forEach(function (r) {
            r.type = "relation";
            r.el = document.getElementById(r.g);
            r.s = byGroup.get(r.source);
            r.t = byGroup.get(r.target);
            if (r.s) { r.s.links.push(r); }
            if (r.t && r.t !== r.s) { r.t.links.push(r); }
            byGroup.set(r.g, r);
          });

          // Our tooltips replace Graphviz's native ones.
          svg.querySelectorAll("title").forEach(function (t) { t.remove(); });
          svg.querySelectorAll("a").forEach(function (a) {
            a.removeAttributeNS(XLINK, "title");
            a.removeAttribute("title");
          });

          // ---- text helpers: every piece of user text goes through textContent ----
          function el(tag, text, className) {
            var node = document.createElement(tag);
            if (text !== undefined && text !== null) { node.textContent = text; }
            if (className) { node.className = className; }
            return node;
          }
          // The same folding as the library's lookup (LookupIndex.normalize), whose table of letters
          // without a decomposition (ł → l, ø → o, …) comes with the data.
          var baseLetters = data.baseLetters || {};
          function fold(text) {
            var folded = text.normalize("NFKD").replace(/\\p{Mn}/gu, "").toLowerCase().replace(/ς/g, "σ")
              .replace(/[\\u2018\\u2019]/g, "'").replace(/[_\\s\\p{Pd}]+/gu, " ").trim();
            var out = "";
            for (var ch of folded) { out += Object.prototype.hasOwnProperty.call(baseLetters, ch) ? baseLetters[ch] : ch; }
            return out;
          }
          function sourcesText(item) {
            return item.sources ? item.sources.map(function (s) { return s.text; }).join("; ") : "";
          }

          // ---- state: the selected entity and the date ----
          var selected = null, asOf = null;
          // The legend's check boxes: kinds, categories, certainties and types switched off.
          var off = { kind: new Set(), category: new Set(), certainty: new Set(), type: new Set() };
          function entityShown(e) { return !e || !off.kind.has(e.kindId); }
          function inForce(r) {
            if (off.category.has(r.category) || off.certainty.has(r.certainty) || off.type.has(r.typeId)) { return false; }
            if (!entityShown(r.s) || !entityShown(r.t)) { return false; }
            return asOf === null || ((!r.from || r.from <= asOf) && (!r.to || asOf <= r.to));
          }
          Array.prototype.forEach.call(document.querySelectorAll("#eg-legend input[data-filter]"), function (box) {
            box.addEventListener("change", function () {
              var set = off[box.getAttribute("data-filter")];
              if (!set) { return; }
              if (box.checked) { set.delete(box.value); } else { set.add(box.value); }
              entities.forEach(function (e) { if (e.el) { e.el.classList.toggle("eg-hidden", !entityShown(e)); } });
              if (selected && !entityShown(selected)) { selected = null; }
              apply();
            });
          });
          // Only what changes is touched: the bright set (the selection's neighbourhood) and the
          // relations whose visibility the date changes, so a large map stays responsive.
          var bright = new Set(), visible = relations.map(function () { return true; }), shown = relations.length;
          if (entities.length + relations.length <= 3000) { map.classList.add("eg-animate"); }
          function apply() {
            relations.forEach(function (r, index) {
              var now = inForce(r);
              if (now === visible[index]) { return; }
              visible[index] = now;
              shown += now ? 1 : -1;
              if (r.el) { r.el.classList.toggle("eg-hidden", !now); }
            });
            var next = new Set();
            if (selected) {
              next.add(selected);
              selected.links.forEach(function (r) {
                if (inForce(r)) { next.add(r); next.add(r.s); next.add(r.t); }
              });
            }
            bright.forEach(function (item) { if (!next.has(item) && item && item.el) { item.el.classList.remove("eg-bright"); } });
            next.forEach(function (item) { if (item && item.el) { item.el.classList.add("eg-bright"); } });
            bright = next;
            map.classList.toggle("eg-focus", selected !== null);
            if (previous && previous.el) { previous.el.classList.remove("eg-selected"); }
            if (selected && selected.el) { selected.el.classList.add("eg-selected"); }
            previous = selected;
            status.textContent = (asOf === null ? "All dates: " : "As of " + asOf + ": ") + shown + " of " +
              relations.length + " relations shown, " + entities.length + " entities.";
            showDetails();
          }
          var previous = null;

          // ---- details panel ----
          function showDetails() {
            details.textContent = "";
            if (!selected) {
              details.appendChild(el("p", "Click an entity to see its neighbours; click the background or press Esc to clear.", "eg-hint"));
              return;
            }
            var e = selected;
            details.appendChild(el("h3", e.name));
            details.appendChild(el("p", e.kind, "eg-kind"));
            if (e.aliases.length) { details.appendChild(el("p", "Also known as: " + e.aliases.join(", "))); }
            if (e.description) { details.appendChild(el("p", e.description)); }
            if (e.url) {
              var link = el("a", e.url);
              link.href = e.url;
              link.target = "_blank";
              link.rel = "noopener noreferrer";
              var line = el("p", "Link: ");
              line.appendChild(link);
              details.appendChild(line);
            }
            if (e.attributeNames) {
              var table = el("dl", null, "eg-attributes");
              e.attributeNames.forEach(function (name, index) {
                var value = e.attributeValues[index];
                table.appendChild(el("dt", name));
                var cell = el("dd");
                // Only http and https values become links; everything else stays text.
                if (/^https?:\\/\\/[^\\s"<>]+$/i.test(value)) {
                  var a = el("a", value);
                  a.href = value;
                  a.target = "_blank";
                  a.rel = "noopener noreferrer";
                  cell.appendChild(a);
                } else {
                  cell.textContent = value;
                }
                table.appendChild(cell);
              });
              details.appendChild(table);
            }
            if (e.sources) { details.appendChild(sourceList(e.sources)); }
            var visible = e.links.filter(inForce);
            details.appendChild(el("h2", visible.length + (visible.length === 1 ? " relation" : " relations") +
              (asOf === null ? "" : " in force on " + asOf)));
            var list = el("ul");
            visible.forEach(function (r) {
              var other = r.s === e ? r.t : r.s;
              var item = el("li");
              var outgoing = r.s === e;
              item.appendChild(document.createTextNode(r.symmetric ? r.label + " " : outgoing ? r.label + " " : ""));
              var link = el("span", other ? other.name : "?", "eg-link");
              link.addEventListener("click", function () { if (other) { select(other, true); } });
              item.appendChild(link);
              if (!r.symmetric && !outgoing) { item.appendChild(document.createTextNode(" " + r.label + " " + e.name)); }
              if (r.when) { item.appendChild(document.createTextNode(" (" + r.when + ")")); }
              if (r.certainty !== "confirmed") { item.appendChild(document.createTextNode(" — " + r.certainty)); }
              list.appendChild(item);
            });
            details.appendChild(list);
          }
          function sourceList(sources) {
            var p = el("p", "Sources: ");
            sources.forEach(function (s, index) {
              if (index > 0) { p.appendChild(document.createTextNode("; ")); }
              if (s.url) {
                var a = el("a", s.text);
                a.href = s.url;
                a.target = "_blank";
                a.rel = "noopener noreferrer";
                if (s.title) { a.title = s.title; }
                p.appendChild(a);
              } else {
                p.appendChild(document.createTextNode(s.text));
              }
            });
            return p;
          }

          // ---- tooltips ----
          function tooltipFor(item) {
            tooltip.textContent = "";
            if (item.type === "entity") {
              tooltip.appendChild(el("strong", item.name));
              tooltip.appendChild(el("span", item.kind, "eg-row"));
              if (item.aliases.length) { tooltip.appendChild(el("span", "Also known as: " + item.aliases.join(", "), "eg-row")); }
              if (item.description) { tooltip.appendChild(el("span", item.description, "eg-row")); }
            } else {
              tooltip.appendChild(el("strong", (item.s ? item.s.name : "?") + " — " + item.label + " — " + (item.t ? item.t.name : "?")));
              if (item.when) { tooltip.appendChild(el("span", "When: " + item.when, "eg-row")); }
              tooltip.appendChild(el("span", "Certainty: " + item.certainty +
                (item.assertedBy ? " (according to " + item.assertedBy + ")" : ""), "eg-row"));
            }
            if (item.sources) { tooltip.appendChild(el("span", "Sources: " + sourcesText(item), "eg-row")); }
          }
          function itemAt(target) {
            var group = target && target.closest ? target.closest("g.entity, g.relation") : null;
            return group ? byGroup.get(group.id) || null : null;
          }
          var hovered = null;
          map.addEventListener("pointermove", function (event) {
            if (dragging) { tooltip.hidden = true; return; }
            var item = itemAt(event.target);
            if (!item) { tooltip.hidden = true; hovered = null; return; }
            if (item !== hovered) { tooltipFor(item); hovered = item; }
            tooltip.hidden = false;
            var x = event.clientX + 14, y = event.clientY + 14;
            var box = tooltip.getBoundingClientRect();
            if (x + box.width > window.innerWidth - 4) { x = Math.max(4, event.clientX - box.width - 14); }
            if (y + box.height > window.innerHeight - 4) { y = Math.max(4, event.clientY - box.height - 14); }
            tooltip.style.left = x + "px";
            tooltip.style.top = y + "px";
          });
          map.addEventListener("pointerleave", function () { tooltip.hidden = true; hovered = null; });

          // ---- zoom and pan (on the viewBox) ----
          var full = svg.viewBox.baseVal;
          var home = [full.x, full.y, full.width, full.height];
          var view = home.slice();
          svg.removeAttribute("width");
          svg.removeAttribute("height");
          function setView(v) {
            view = v;
            svg.setAttribute("viewBox", v.map(function (n) { return n.toFixed(2); }).join(" "));
          }
          function toSVG(clientX, clientY) {
            var point = svg.createSVGPoint();
            point.x = clientX; point.y = clientY;
            return point.matrixTransform(svg.getScreenCTM().inverse());
          }
          function zoomAt(clientX, clientY, factor) {
            var p = toSVG(clientX, clientY);
            var w = Math.min(Math.max(view[2] * factor, home[2] / 40), home[2] * 4);
            var scale = w / view[2];
            setView([p.x - (p.x - view[0]) * scale, p.y - (p.y - view[1]) * scale, view[2] * scale, view[3] * scale]);
          }
          map.addEventListener("wheel", function (event) {
            event.preventDefault();
            zoomAt(event.clientX, event.clientY, Math.exp(event.deltaY * 0.0015));
          }, { passive: false });
          var dragging = false, moved = false, start = null;
          map.addEventListener("pointerdown", function (event) {
            if (event.button !== 0) { return; }
            start = { x: event.clientX, y: event.clientY, view: view.slice() };
            moved = false;
          });
          window.addEventListener("pointermove", function (event) {
            if (!start) { return; }
            var dx = event.clientX - start.x, dy = event.clientY - start.y;
            if (!moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
            moved = true;
            dragging = true;
            map.classList.add("eg-dragging");
            var scale = Math.max(start.view[2] / map.clientWidth, start.view[3] / map.clientHeight);
            setView([start.view[0] - dx * scale, start.view[1] - dy * scale, start.view[2], start.view[3]]);
          });
          window.addEventListener("pointerup", function () {
            start = null;
            dragging = false;
            map.classList.remove("eg-dragging");
          });
          function centreOn(item) {
            if (!item.el) { return; }
            var box = item.el.getBoundingClientRect();
            var centre = toSVG(box.left + box.width / 2, box.top + box.height / 2);
            var corner = toSVG(box.right, box.bottom);
            var width = Math.abs(corner.x - centre.x) * 2;
            // Wide enough for the entity and its surroundings, never wider than the whole map.
            var w = Math.min(home[2], Math.max(width * 8, 500));
            var h = w * (view[3] / view[2]);
            setView([centre.x - w / 2, centre.y - h / 2, w, h]);
          }
          document.getElementById("eg-fit").addEventListener("click", function () { setView(home.slice()); });

          // ---- selection ----
          function select(item, centre) {
            selected = item;
            apply();
            if (item && centre) { centreOn(item); }
          }
          map.addEventListener("click", function (event) {
            // A plain click selects; the link of an entity opens from the side panel, or with Ctrl/Cmd.
            var anchor = event.target.closest ? event.target.closest("a") : null;
            if (anchor && !(event.ctrlKey || event.metaKey)) { event.preventDefault(); }
            if (moved) { moved = false; return; }
            if (anchor && (event.ctrlKey || event.metaKey)) { return; }
            var item = itemAt(event.target);
            if (item && item.type === "relation") { return; }
            select(item && item.type === "entity" ? item : null, false);
          });
          document.addEventListener("keydown", function (event) {
            if (event.key === "Escape") {
              results.hidden = true;
              select(null, false);
            }
          });

          // ---- search ----
          // One matcher, the library's lookup in small: the query is folded, transliterated letter by
          // letter (data.latin: Suggest.fold(Suggest.latin(letter))), split into words, each word
          // reduced to its spelling skeleton (data.nameSpellings) and leading titles dropped
          // (data.nameTitles) unless nothing else remains, as Suggest.nameWords does; each key's
          // words come with the data. An entity scores by its best key, lower is better.
          var latinLetters = data.latin || {}, spellings = data.nameSpellings || [], titles = new Set(data.nameTitles || []);
          function has(table, key) { return Object.prototype.hasOwnProperty.call(table, key); }
          function spelled(word) {
            spellings.forEach(function (rules) {
              var out = "", at = 0;
              function emit(text) { for (var ch of text) { if (out.slice(-1) !== ch) { out += ch; } } }
              scan: while (at < word.length) {
                for (var i = 0; i < rules.length; i++) {
                  if (word.startsWith(rules[i][0], at)) { emit(rules[i][1]); at += rules[i][0].length; continue scan; }
                }
                var ch = String.fromCodePoint(word.codePointAt(at));
                emit(ch);
                at += ch.length;
              }
              word = out;
            });
            return word;
          }
          function nameWords(folded) {
            var latin = "";
            for (var ch of folded) { latin += has(latinLetters, ch) ? latinLetters[ch] : ch; }
            var chars = Array.from(latin), words = [], current = "";
            function isWord(index) { return index < chars.length && /[\\p{Alphabetic}\\p{N}]/u.test(chars[index]); }
            function flush() { if (current) { words.push(spelled(current)); } current = ""; }
            for (var index = 0; index < chars.length; index++) {
              var ch = chars[index];
              if (/\\p{Lm}/u.test(ch)) { continue; }
              if (ch === "'") {
                if (chars[index + 1] === "s" && !isWord(index + 2)) { index++; }
                continue;
              }
              if (isWord(index)) { current += ch; } else { flush(); }
            }
            flush();
            var first = words.findIndex(function (w) { return !titles.has(w); });
            if (first > 0) { words = words.slice(first); }
            return Array.from(new Set(words)).sort();
          }
          entities.forEach(function (e) {
            e.words = (e.keyWords || []).map(function (text) { return text ? text.split(" ") : []; });
          });
          var matches = [], active = 0;
          function rank(e, query, words) {
            var best = null;
            e.keys.forEach(function (key, index) {
              var keyWords = e.words[index] || [], score = null;
              function inKey(w) { return keyWords.indexOf(w) >= 0; }
              function begins(w) { return keyWords.some(function (k) { return k.indexOf(w) === 0; }); }
              if (key === query) { score = 0; }
              else if (words.length && words.length === keyWords.length && words.every(inKey)) { score = 0.5; }
              else if (key.indexOf(query) === 0) { score = 1; }
              else if (words.length && words.every(inKey)) { score = 1.5; }
              else if ((" " + key).indexOf(" " + query) >= 0 || (words.length === 1 && begins(words[0]))) { score = 2; }
              else if (words.length && words.every(begins)) { score = 2.5; }
              else if (key.indexOf(query) > 0) { score = 3; }
              if (score !== null && (best === null || score < best.score)) { best = { score: score, key: index }; }
            });
            return best;
          }
          function showResults() {
            var query = fold(search.value), words = nameWords(query);
            results.textContent = "";
            matches = [];
            if (!query) { results.hidden = true; return; }
            entities.forEach(function (e, order) {
              var found = rank(e, query, words);
              if (found) { matches.push({ entity: e, score: found.score, key: found.key, order: order }); }
            });
            // Ranked candidates: best score first, then by name (then as the graph lists them).
            matches.sort(function (a, b) {
              return a.score - b.score || (a.entity.name < b.entity.name ? -1 : a.entity.name > b.entity.name ? 1 : 0) ||
                a.order - b.order;
            });
            matches = matches.slice(0, 12);
            active = 0;
            if (!matches.length) {
              results.appendChild(el("li", "No entity matches"));
              results.hidden = false;
              return;
            }
            matches.forEach(function (m, index) {
              var item = el("li", m.entity.name);
              item.setAttribute("role", "option");
              item.setAttribute("aria-selected", index === active ? "true" : "false");
              if (m.key > 0) { item.appendChild(el("span", "(" + m.entity.keyTexts[m.key] + ")", "eg-aside")); }
              item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(m.entity); });
              results.appendChild(item);
            });
            results.hidden = false;
          }
          function choose(entity) {
            results.hidden = true;
            search.value = entity.name;
            select(entity, true);
          }
          search.addEventListener("input", showResults);
          search.addEventListener("keydown", function (event) {
            if (event.key === "Enter") {
              event.preventDefault();
              if (!matches.length) { showResults(); }
              if (matches.length) { choose(matches[active].entity); }
            } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              if (!matches.length) { return; }
              active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
              Array.prototype.forEach.call(results.children, function (li, index) {
                li.setAttribute("aria-selected", index === active ? "true" : "false");
              });
            }
          });
          search.addEventListener("blur", function () { results.hidden = true; });

          // ---- the date ----
          function dayNumber(text) {
            var parts = text.split("-").map(Number);
            var day = new Date(0);
            day.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);  // Date.UTC would read years 0–99 as 1900–1999
            return Math.round(day.getTime() / 86400000);
          }
          function dayText(number) { return new Date(number * 86400000).toISOString().slice(0, 10); }
          if (!data.first) {
            when.hidden = true;
          } else {
            var first = dayNumber(data.first), last = Math.max(dayNumber(data.last), first);
            // Relations without an end still hold: let the slider reach today.
            if (data.openEnded) { last = Math.max(last, Math.floor(Date.now() / 86400000)); }
            dateRange.min = String(first);
            dateRange.max = String(last);
            dateRange.value = String(last);
            dateField.min = data.first;
            dateField.max = dayText(last);
          }
          // A real day written YYYY-MM-DD, whatever the browser's locale (2022-02-30 is not one).
          function validDay(text) {
            if (!/^\\d{4}-\\d{2}-\\d{2}$/.test(text)) { return false; }
            var parts = text.split("-").map(Number), day = new Date(0);
            day.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);
            return day.getUTCFullYear() === parts[0] && day.getUTCMonth() === parts[1] - 1 && day.getUTCDate() === parts[2];
          }
          function setDate(text) {
            asOf = validDay(text) ? text : null;
            allDates.disabled = asOf === null;
            dateField.removeAttribute("aria-invalid");
            if (asOf !== null) {
              dateField.value = asOf;
              var n = dayNumber(asOf);
              dateRange.value = String(Math.min(Math.max(n, Number(dateRange.min)), Number(dateRange.max)));
            } else {
              dateField.value = "";
            }
            apply();
          }
          dateField.addEventListener("change", function () {
            var text = dateField.value.trim();
            if (text === "" || validDay(text)) { setDate(text); } else { dateField.setAttribute("aria-invalid", "true"); }
          });
          dateField.addEventListener("input", function () {
            var text = dateField.value.trim();
            if (validDay(text)) { setDate(text); }
          });
          var pendingFrame = false;
          dateRange.addEventListener("input", function () {
            if (pendingFrame) { return; }
            pendingFrame = true;
            window.requestAnimationFrame(function () {
              pendingFrame = false;
              setDate(dayText(Number(dateRange.value)));
            });
          });
          allDates.addEventListener("click", function () { setDate(""); });

          allDates.disabled = true;
          apply();
          document.documentElement.setAttribute("data-eg-ready", "true");
        })();
        """
}
