/* coursekit static view: quizzes, discussions and export in the built book, with no kernel
   and no network. Grading mirrors coursekit/grading.py; tests/answer_cases.yml tests both.
   Text from banks or students is only ever set with textContent or .value, and saved data is
   read into objects without prototypes, so no id or item can be mistaken for a built-in. */
(function () {
  "use strict";

  // ---- what this script shares with Python: tests/test_js_constants.py checks every value ----
  /* constants:begin */
  var C = {
    "format": "coursekit-submission",
    "version": 1,
    "fields": ["format", "version", "course", "chapter", "student", "created", "source", "mode", "answers", "responses"],
    "limits": {"student": 200, "answer": 10000, "response": 100000},
    "slugLength": 40,
    "messages": {
      "no_answer": "No answer yet.",
      "single": "Choose one option.",
      "multiple": "Tick one or more options.",
      "truefalse": "Choose True or False.",
      "text": "Type an answer.",
      "numeric": "Type a number, such as 1947 or 2.5.",
      "ambiguous_number": "Type the number without a thousands separator (1960, not 1,960 or 1.960); for a decimal, use a point or a comma: 2.5.",
      "matching": "Choose a match for each item.",
      "ordering": "Put every item in order.",
      "ordering_untouched": "Move the items into the order you choose first (the ▲ and ▼ buttons).",
      "recorded": "Answer saved.",
      "correct": "Correct.",
      "partial": "Partly correct: {percent}% of the credit.",
      "incorrect": "Not correct."
    }
  };
  /* constants:end */
  var M = C.messages;

  // ---- maps without prototypes --------------------------------------------------------------
  function map() { return Object.create(null); }
  function has(m, k) { return m !== null && typeof m === "object" && Object.prototype.hasOwnProperty.call(m, k); }
  function isObj(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function isStr(x) { return typeof x === "string"; }
  // JSON.parse, with every object rebuilt without a prototype ("constructor" is then just a key)
  function parse(text) {
    return JSON.parse(text, function (k, v) {
      if (!isObj(v)) return v;
      var m = map();
      Object.keys(v).forEach(function (p) { m[p] = v[p]; });
      return m;
    });
  }

  // ---- grading (keep in step with grading.py) ----------------------------------------------
  function normaliseText(s) {
    return String(s).normalize("NFKD").replace(/[\t\n\v\f\r\p{Z}\p{Pd}]/gu, " ")
      .replace(/[\p{M}\p{P}\p{S}\p{Cc}\p{Cf}]/gu, "").toLowerCase().split(" ").filter(Boolean).join(" ");
  }
  var NUMBER = /^[+-]?([0-9]+([.,][0-9]+)?|[.,][0-9]+)$/, AMBIGUOUS = /^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$/;
  function compactNumber(v) { return v.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "").replace(/ /g, ""); }
  function parseNumber(v) {
    if (typeof v === "number") return v;
    if (!isStr(v)) return null;
    var c = compactNumber(v);
    return NUMBER.test(c) && !AMBIGUOUS.test(c) ? parseFloat(c.replace(",", ".")) : null;
  }
  function round4(x) { return Math.floor(x * 10000 + 0.5) / 10000; }
  function headline(s) {
    return s >= 1 ? M.correct : s > 0 ? M.partial.replace("{percent}", Math.floor(s * 100 + 0.5)) : M.incorrect;
  }
  function result(spec, score, specific) {
    score = round4(score);
    var lines = [headline(score)].concat(specific.filter(Boolean));
    if (lines.length === 1) {
      var generic = score >= 1 ? spec.fc : spec.fi;
      if (generic) lines.push(generic);
    }
    return { status: score >= 1 ? "correct" : score > 0 ? "partial" : "incorrect", score: score, feedback: lines };
  }
  function invalid(msg) { return { status: "invalid", score: 0, feedback: [msg] }; }
  function own(m, k) { return has(m, k) ? m[k] : ""; }
  function sameItems(r, items) {
    return Array.isArray(r) && r.map(String).sort().join("\u0000") === items.slice().sort().join("\u0000");
  }

  // One entry per question type: why a response cannot be taken (problem), how it scores
  // (grade), and how the page reads (read), shows (restore) and rebuilds its spec (spec).
  // Every dispatch on a type goes through TYPES; an unknown type is an error, never a guess.
  var TYPES = map();
  TYPES.single = {
    problem: function (s, r) { return s.options.indexOf(r) >= 0 ? null : M.single; },
    grade: function (s, r) { return result(s, r === s.answer ? 1 : 0, [own(s.feedback, r)]); },
    read: function (q) { var c = $("input:checked", q.el); return c ? q.labels[+c.value] : null; },
    restore: function (q, v) { $$("input", q.el).forEach(function (i) { i.checked = q.labels[+i.value] === v; }); },
    spec: function (q, k) { return { options: q.labels, answer: q.labels[k.a], feedback: optionFeedback(q.labels, k.f) }; }
  };
  TYPES.multiple = {
    problem: function (s, r) {
      var ok = Array.isArray(r) && r.length && r.every(function (x) { return isStr(x) && s.options.indexOf(x) >= 0; });
      return ok ? null : M.multiple;
    },
    grade: function (s, r) {
      var chosen = r.filter(function (x, i) { return r.indexOf(x) === i; });
      var right = chosen.filter(function (x) { return s.answer.indexOf(x) >= 0; }).length, wrong = chosen.length - right;
      var exact = right === s.answer.length && wrong === 0;
      // option feedback in the bank's order of options, each line naming its option
      var lines = s.options.filter(function (o) { return chosen.indexOf(o) >= 0 && own(s.feedback, o); })
        .map(function (o) { return "“" + o + "”: " + s.feedback[o]; });
      return result(s, exact ? 1 : Math.max(0, (right - wrong) / s.answer.length), lines);
    },
    read: function (q) { return $$("input:checked", q.el).map(function (i) { return q.labels[+i.value]; }); },
    restore: function (q, v) {
      $$("input", q.el).forEach(function (i) { i.checked = Array.isArray(v) && v.indexOf(q.labels[+i.value]) >= 0; });
    },
    spec: function (q, k) {
      return { options: q.labels, answer: k.a.map(function (i) { return q.labels[i]; }).sort(), feedback: optionFeedback(q.labels, k.f) };
    }
  };
  TYPES.truefalse = {
    problem: function (s, r) { return typeof r === "boolean" ? null : M.truefalse; },
    grade: function (s, r) { return result(s, r === s.answer ? 1 : 0, [own(s.feedback, String(r))]); },
    read: function (q) { var c = $("input:checked", q.el); return c ? c.value === "0" : null; },
    restore: function (q, v) { $$("input", q.el).forEach(function (i) { i.checked = v === (i.value === "0"); }); },
    spec: function (q, k) { var f = k.f || ["", ""], m = map(); m["true"] = f[0]; m["false"] = f[1]; return { answer: k.a, feedback: m }; }
  };
  TYPES.text = {
    problem: function (s, r) { return isStr(r) && normaliseText(r) ? null : M.text; },
    grade: function (s, r) {
      var n = normaliseText(r);
      return result(s, s.accept.some(function (a) { return normaliseText(a) === n; }) ? 1 : 0, []);
    },
    read: function (q) { return $("input", q.el).value; },
    restore: function (q, v) { $("input", q.el).value = isStr(v) ? v : ""; },
    spec: function (q, k) { return { accept: k.a }; }
  };
  TYPES.numeric = {
    problem: function (s, r) {
      if (parseNumber(r) !== null) return null;
      return isStr(r) && AMBIGUOUS.test(compactNumber(r)) ? M.ambiguous_number : M.numeric;
    },
    grade: function (s, r) { return result(s, Math.abs(parseNumber(r) - s.answer) <= s.tolerance + 1e-9 ? 1 : 0, []); },
    read: TYPES.text.read,
    restore: TYPES.text.restore,
    spec: function (q, k) { return { answer: k.a, tolerance: k.t || 0 }; }
  };
  TYPES.matching = {
    problem: function (s, r) {
      var any = isObj(r) && s.pairs.some(function (p) { return has(r, p[0]) && isStr(r[p[0]]) && r[p[0]]; });
      return any ? null : M.matching;
    },
    grade: function (s, r) {
      var ok = s.pairs.filter(function (p) { return own(r, p[0]) === p[1]; }).length;
      var marks = s.pairs.map(function (p) { return p[0] + " " + (own(r, p[0]) === p[1] ? "✔" : "✘"); }).join("; ");
      return result(s, ok / s.pairs.length, [ok + " of " + s.pairs.length + " pairs matched correctly.", marks]);
    },
    read: function (q) {
      var m = map();
      $$("select", q.el).forEach(function (sel, i) { if (sel.value) m[q.lefts[i]] = q.rights[+sel.value]; });
      return m;
    },
    restore: function (q, v) {
      $$("select", q.el).forEach(function (sel, i) { var at = q.rights.indexOf(own(v, q.lefts[i])); sel.value = at < 0 ? "" : String(at); });
    },
    spec: function (q, k) { return { pairs: q.lefts.map(function (l, i) { return [l, q.rights[k.a[i]]]; }) }; }
  };
  TYPES.ordering = {
    problem: function (s, r) { return sameItems(r, s.items) ? null : M.ordering; },
    grade: function (s, r) {
      var at = [];
      r.forEach(function (x, i) { if (x === s.items[i]) at.push(i + 1); });
      var where = at.length ? "Right: position" + (at.length > 1 ? "s " : " ") + at.join(", ") + "." : "";
      return result(s, at.length / s.items.length, [at.length + " of " + s.items.length + " items in the right position.", where]);
    },
    read: function (q) { return $$("li", q.el).map(function (li) { return li.ckItem; }); },
    restore: function (q, v) {
      var list = $("ol", q.el), byItem = map();
      $$("li", list).forEach(function (li) { byItem[li.ckItem] = li; });
      if (sameItems(v, q.shown)) v.forEach(function (x) { list.appendChild(byItem[x]); });
    },
    spec: function (q, k) { return { items: k.a.map(function (i) { return q.shown[i]; }) }; }
  };
  function typeOf(t) {
    if (!has(TYPES, t)) throw new Error("coursekit: no handler for question type " + JSON.stringify(t));
    return TYPES[t];
  }
  function optionFeedback(labels, f) {
    var m = map();
    if (f) labels.forEach(function (l, i) { if (f[i]) m[l] = f[i]; });
    return m;
  }
  function problem(spec, r) {
    if (r === null || r === undefined) return M.no_answer;
    return typeOf(spec.type).problem(spec, r);
  }
  function grade(spec, r) {
    var p = problem(spec, r);
    return p ? invalid(p) : typeOf(spec.type).grade(spec, r);
  }

  // ---- small DOM helpers --------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function say(box, lines, cls) {
    box.textContent = "";
    box.className = "ck-feedback" + (cls ? " ck-" + cls : "");
    lines.forEach(function (line, i) {
      var p = document.createElement("p");
      if (i === 0) { var b = document.createElement("strong"); b.textContent = line; p.appendChild(b); }
      else p.textContent = line;
      box.appendChild(p);
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var MARK = { correct: "✔ ", partial: "◐ ", incorrect: "✘ " };

  // ---- storage: this browser only ----------------------------------------------------------
  // The page's state lives here, in memory: every read sees the latest edit, whether or not
  // the browser managed to store it. localStorage is the copy that survives a reload.
  var Store = {
    state: map(), failed: map(), listeners: [],
    key: function (course, chapter) { return "coursekit:" + course + ":" + chapter; },
    stored: function (k) {  // the stored record, or null when there is none or it is unreadable
      try {
        var raw = window.localStorage.getItem(k);
        var d = raw === null ? null : parse(raw);
        return isObj(d) && isObj(d.answers) && isObj(d.responses) ? d : null;
      } catch (e) { return null; }
    },
    get: function (k) {
      if (!has(this.state, k)) this.state[k] = this.stored(k) || { answers: map(), responses: map() };
      return this.state[k];
    },
    // change(record) edits a record; the freshest one is used (another tab may have saved),
    // except after a failed save, when only memory holds the latest work.
    write: function (k, change) {
      var base = has(this.failed, k) ? this.get(k) : (this.stored(k) || this.get(k));
      change(base);
      this.state[k] = base;
      try {
        window.localStorage.setItem(k, JSON.stringify(base));
        if (has(this.failed, k)) { delete this.failed[k]; this.notify(k, true); }
        return true;
      } catch (e) {
        this.failed[k] = true;
        this.notify(k, false);
        return false;
      }
    },
    remove: function (k) {
      delete this.state[k]; delete this.failed[k];
      try { window.localStorage.removeItem(k); } catch (e) { /* nothing stored */ }
    },
    notify: function (k, ok) { this.listeners.forEach(function (f) { f(k, ok); }); },
    setting: function (name, value) {  // remembered per browser: the name and the student id
      var k = "coursekit:" + name;
      try {
        if (value === undefined) return window.localStorage.getItem(k) || "";
        if (value === null) window.localStorage.removeItem(k); else window.localStorage.setItem(k, value);
      } catch (e) { return ""; }
      return value || "";
    }
  };
  var SAVE_FAILED = "Not saved: this browser refused to store your work (it may be full, or in a private " +
    "window that keeps nothing). What you see on the page is kept until you leave it: export your work now to keep it.";

  // ---- quizzes ------------------------------------------------------------------------------
  var quizzes = map();  // chapter store key -> [quiz controller]
  function initQuiz(quizEl) {
    var keyEl = $("script.ck-key", quizEl), keys = keyEl ? parse(keyEl.textContent) : [];
    var mode = quizEl.dataset.ckMode, k = Store.key(quizEl.dataset.ckCourse, quizEl.dataset.ckChapter);
    var scoreEl = $(".ck-score", quizEl), scores = map(), questions = [];
    function updateScore() {
      if (!scoreEl) return;
      var ids = Object.keys(scores), total = ids.reduce(function (s, id) { return s + scores[id]; }, 0);
      scoreEl.textContent = "Score: " + round4(total) + " of " + questions.length + " (" + ids.length + " checked).";
    }
    $$(".ck-question", quizEl).forEach(function (qel, index) {
      guard(qel, function () { questions.push(initQuestion(qel, keys[index])); });
    });
    function initQuestion(qel, key) {
      var q = { el: qel, qid: qel.dataset.ckQid, type: qel.dataset.ckType, moved: false };
      typeOf(q.type);
      q.labels = $$(".ck-choices > label", qel).map(function (l) { return l.textContent.trim(); });
      if (q.type === "truefalse") q.labels = [true, false];
      q.lefts = $$(".ck-match > span", qel).map(function (s, i) {
        // a select inside its label would be named "item Choose…": name it by the item alone
        s.id = "ck-" + q.qid + "-m" + i;
        s.nextElementSibling.setAttribute("aria-labelledby", s.id);
        return s.textContent;
      });
      q.rights = $$(".ck-rights li", qel).map(function (li) { return li.textContent; });
      $$(".ck-match option", qel).forEach(function (o) {
        if (o.value) o.textContent = o.textContent + ". " + q.rights[+o.value];
      });
      q.shown = $$("li", qel).map(function (li) { li.ckItem = li.textContent; return li.textContent; });
      var why = $(".ck-offline-answer p:last-child", qel);
      q.spec = mode === "practice" ? specFor(q, key, why ? why.textContent : "") : specFor(q, null, "");
      $$('input[type="radio"]', qel).forEach(function (i) { i.name = "ck-" + q.qid; });
      $$('input[type="text"]', qel).forEach(function (i) { i.autocomplete = "off"; i.spellcheck = false; });
      if (q.type === "ordering") addMoveButtons(q);
      // the parts that need this script: the button, the live feedback region, the explanation
      var actions = el("div", "ck-actions"), button = el("button", "ck-check", mode === "practice" ? "Check" : "Save answer");
      var fbox = el("div", "ck-feedback"), ex = el("div", "ck-explanation");
      button.type = "button";
      fbox.setAttribute("role", "status");
      ex.hidden = true;
      actions.appendChild(button);
      var after = $("fieldset", qel).nextSibling;
      [actions, fbox, ex].forEach(function (part) { qel.insertBefore(part, after); });
      q.show = function (res, restored) {
        if (mode === "assessment") { say(fbox, [(restored ? "Restored: " : "") + M.recorded]); return; }
        var lines = res.feedback.slice();
        lines[0] = MARK[res.status] + (restored ? "Restored from your saved answers. " : "") + lines[0];
        say(fbox, lines, res.status);
        ex.textContent = "";
        var b = el("strong", "", "Explanation: ");
        ex.appendChild(b); ex.appendChild(document.createTextNode(q.spec.explanation));
        ex.hidden = false;
        scores[q.qid] = res.score;
        updateScore();
      };
      q.reset = function () {
        $$("input", qel).forEach(function (i) { if (i.type === "text") i.value = ""; else i.checked = false; });
        $$("select", qel).forEach(function (s) { s.value = ""; });
        if (q.type === "ordering") { typeOf(q.type).restore(q, q.shown); q.moved = false; }
        fbox.textContent = ""; fbox.className = "ck-feedback"; ex.hidden = true; ex.textContent = "";
        delete scores[q.qid];
      };
      q.check = function () {
        var r = typeOf(q.type).read(q);
        if (q.type === "ordering" && !q.moved) {
          say(fbox, [M.ordering_untouched], "invalid");
          ex.hidden = true;
          return;
        }
        var res = mode === "assessment" ? record(q.spec, r) : grade(q.spec, r);
        if (res.status === "invalid") {
          say(fbox, [res.feedback[0]], "invalid");
          ex.hidden = true;  // it explained an earlier answer
          return;
        }
        var saved = Store.write(k, function (d) { d.answers[q.qid] = r; });
        q.show(res, false);
        if (!saved) fbox.appendChild(el("p", "ck-warning", SAVE_FAILED));
      };
      q.restoreSaved = function (v) {
        typeOf(q.type).restore(q, v);
        if (q.type === "ordering") q.moved = true;
        var res = mode === "assessment" ? record(q.spec, v) : grade(q.spec, v);
        if (res.status !== "invalid") q.show(res, true);
      };
      button.addEventListener("click", q.check);
      $$('input[type="text"]', qel).forEach(function (i) {
        i.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); q.check(); } });
      });
      var saved = Store.get(k).answers;
      if (has(saved, q.qid)) q.restoreSaved(saved[q.qid]);
      return q;
    }
    function addMoveButtons(q) {
      var hint = el("p", "ck-hint ck-screen-only", "Earliest or first at the top. Use the ▲ and ▼ buttons to move an item."), list = $("ol", q.el);
      hint.id = "ck-hint-" + q.qid;
      list.setAttribute("aria-describedby", hint.id);
      list.parentNode.insertBefore(hint, list);
      $$("li", q.el).forEach(function (li) {
        var item = li.ckItem, span = el("span", "ck-item", item), box = el("span", "ck-move");
        li.textContent = "";
        li.appendChild(span);
        [["ck-up", "▲", "Move up: "], ["ck-down", "▼", "Move down: "]].forEach(function (b) {
          var btn = el("button", b[0], b[1]);
          btn.type = "button";
          btn.setAttribute("aria-label", b[2] + item);
          btn.addEventListener("click", function () { move(q, li, b[0] === "ck-up", btn); });
          box.appendChild(btn);
        });
        li.appendChild(box);
      });
    }
    function move(q, li, up, btn) {
      var list = li.parentNode, other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      list.insertBefore(li, up ? other : other.nextElementSibling);
      q.moved = true;
      btn.focus();
      var pos = Array.prototype.indexOf.call(list.children, li) + 1;
      say($(".ck-feedback", q.el), ["“" + li.ckItem + "” is now at position " + pos + " of " + list.children.length + "."]);
      $(".ck-explanation", q.el).hidden = true;  // it would give the order away while rearranging
    }
    var controller = {
      key: k,
      clear: function () { questions.forEach(function (q) { q.reset(); }); scores = map(); updateScore(); },
      refresh: function (answers) {  // another tab saved: show what it saved
        questions.forEach(function (q) { if (has(answers, q.qid)) q.restoreSaved(answers[q.qid]); });
      },
      specs: function () { var m = map(); questions.forEach(function (q) { m[q.qid] = q.spec; }); return m; }
    };
    (quizzes[k] = quizzes[k] || []).push(controller);
    updateScore();
  }
  function specFor(q, key, explanation) {
    var spec = { type: q.type, explanation: explanation, fc: "", fi: "" };
    if (!key) {  // assessment mode: the page has no key; what the page shows is enough to check a response
      spec.options = q.labels; spec.items = q.shown; spec.pairs = q.lefts.map(function (l) { return [l, ""]; });
      return spec;
    }
    spec.fc = key.fc || ""; spec.fi = key.fi || "";
    var extra = typeOf(q.type).spec(q, key);
    Object.keys(extra).forEach(function (p) { spec[p] = extra[p]; });
    return spec;
  }
  // Assessment mode: accept a well-formed response without judging it (grading.record).
  function record(spec, r) {
    var p = problem(spec, r);
    return p ? invalid(p) : { status: "recorded", score: 0, feedback: [M.recorded] };
  }

  // ---- discussions --------------------------------------------------------------------------
  function words(s) { return s.split(/\s+/).filter(Boolean).length; }
  var boxes = map();  // chapter store key -> [response box controller]
  function initDiscussion(d) {
    var pid = d.dataset.ckPid, min = +d.dataset.ckWords, ta = $("textarea", d), count = $(".ck-count", d);
    var status = $(".ck-feedback", d), auto = $(".ck-autosaved", d), details = $("details", d);
    var k = Store.key(d.dataset.ckCourse, d.dataset.ckChapter);
    var seen = own(Store.get(k).responses, pid);  // the text as this page last loaded or saved it
    function update() { count.textContent = words(ta.value) + " of " + min + " words."; }
    // Saves unless another tab or window changed the stored text since this page saw it:
    // then nothing is overwritten, and the student is told.
    function persist() {
      var fresh = Store.stored(k), current = fresh ? own(fresh.responses, pid) : own(Store.get(k).responses, pid);
      if (!has(Store.failed, k) && fresh && current !== seen) {
        say(status, ["Not saved: this response was changed in another tab or window since you opened this page. " +
          "Your text here is still on the page: copy it, then reload the page to see the other version."], "invalid");
        auto.textContent = "";
        return false;
      }
      var ok = Store.write(k, function (data) { data.responses[pid] = ta.value; });
      if (ok) { seen = ta.value; if (status.classList.contains("ck-invalid")) say(status, []); }
      else { say(status, [SAVE_FAILED], "invalid"); auto.textContent = ""; }
      return ok;
    }
    if (seen) ta.value = seen;
    update();
    ta.addEventListener("input", function () {
      update();
      if (persist()) auto.textContent = "Saved automatically at " + new Date().toLocaleTimeString() + ".";
    });
    $(".ck-save", d).addEventListener("click", function () { if (persist()) say(status, ["Saved."]); });
    if (details) $("summary", details).addEventListener("click", function (ev) {
      if (!details.open && words(ta.value) < min) {
        ev.preventDefault();
        say(status, ["Other perspectives open once you have written " + min + " words (you have " + words(ta.value) + "); then compare your view with other perspectives."]);
      }
    });
    var controller = {
      key: k, pid: pid,
      value: function () { return ta.value; },
      clear: function () { ta.value = ""; seen = ""; update(); say(status, []); auto.textContent = ""; },
      refresh: function (text) {  // another tab saved: take its text if nothing here is unsaved
        if (ta.value === seen && text !== seen) { ta.value = seen = text; update(); }
      }
    };
    (boxes[k] = boxes[k] || []).push(controller);
  }

  // ---- export, clear and forget ---------------------------------------------------------------
  // Same rule as submission_filename() in submission.py: accents folded, so "José" is "jose".
  function slug(s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, C.slugLength).replace(/-+$/, "") || "student";
  }
  function tooLong(answers, responses, student) {
    if (student.length > C.limits.student) return "Your name is longer than " + C.limits.student + " characters.";
    for (var id in responses) if (responses[id].length > C.limits.response)
      return "A discussion response is longer than " + C.limits.response + " characters (" + responses[id].length + "): shorten it before exporting.";
    for (var q in answers) if (JSON.stringify(answers[q]).length > C.limits.answer)
      return "An answer is longer than " + C.limits.answer + " characters: shorten it before exporting.";
    return "";
  }
  // What the page holds now: saved answers, and every response box as it reads at this moment.
  function liveWork(k) {
    var d = Store.get(k), answers = map(), responses = map();
    Object.keys(d.answers).forEach(function (q) { answers[q] = d.answers[q]; });
    Object.keys(d.responses).forEach(function (p) { if (isStr(d.responses[p])) responses[p] = d.responses[p]; });
    (boxes[k] || []).forEach(function (b) { responses[b.pid] = b.value(); });
    return { answers: answers, responses: responses };
  }
  function download(name, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function clearPage(k) {
    (quizzes[k] || []).forEach(function (q) { q.clear(); });
    (boxes[k] || []).forEach(function (b) { b.clear(); });
  }
  function initExport(panel) {
    var status = $(".ck-feedback", panel), name = $("input", panel), ch = panel.dataset.ckChapter;
    var course = panel.dataset.ckCourse, k = Store.key(course, ch);
    var quiz = $('.ck-quiz[data-ck-chapter="' + ch + '"]');
    name.value = Store.setting("name");
    Store.listeners.push(function (key, ok) {
      if (key === k) say(status, ok ? ["Saving works again: your work is stored in this browser."] : [SAVE_FAILED], ok ? "" : "invalid");
    });
    try { window.localStorage.setItem("coursekit:probe", "1"); window.localStorage.removeItem("coursekit:probe"); }
    catch (e) { say(status, ["This browser does not allow saving: export your work before you leave the page."], "invalid"); }
    $(".ck-export-btn", panel).addEventListener("click", function () {
      var student = name.value.trim();
      if (!student) { say(status, ["Type your name first: your instructor needs it."]); name.focus(); return; }
      Store.setting("name", student);
      var work = liveWork(k), problem = tooLong(work.answers, work.responses, student);
      if (problem) { say(status, [problem], "invalid"); return; }
      var sub = {
        format: C.format, version: C.version, course: course, chapter: ch, student: student,
        created: new Date().toISOString().replace(/\.\d+Z$/, "Z"), source: "book",
        mode: quiz ? quiz.dataset.ckMode : "practice", answers: work.answers, responses: work.responses
      };
      var file = "submission-" + ch + "-" + slug(student) + ".json";
      download(file, JSON.stringify(sub, null, 2));
      say(status, ["Exported " + file + ": hand this file to your instructor."]);
    });
    $(".ck-clear-btn", panel).addEventListener("click", function () {
      if (!window.confirm("Clear every answer and response you saved on this page?")) return;
      Store.remove(k);
      clearPage(k);
      say(status, ["Cleared: your saved answers and responses for this page are gone."]);
    });
    var forget = $(".ck-forget-btn", panel);
    if (forget) forget.addEventListener("click", function () {
      if (!window.confirm("Forget your name and every answer and response of this course saved in this browser, on every page?")) return;
      var prefix = "coursekit:" + course + ":", doomed = [];
      try {
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(prefix) === 0) doomed.push(key);
        }
      } catch (e) { /* nothing stored */ }
      doomed.concat(Object.keys(Store.state)).forEach(function (key) { if (key.indexOf(prefix) === 0) Store.remove(key); });
      Store.setting("name", null);
      name.value = "";
      Object.keys(quizzes).concat(Object.keys(boxes)).forEach(clearPage);
      say(status, ["Forgotten: your name and all your saved work for this course are gone from this browser."]);
    });
  }

  // Another tab or window of this browser saved: show its work here, where nothing is unsaved.
  function onStorage(ev) {
    if (!ev.key || !(has(quizzes, ev.key) || has(boxes, ev.key)) || has(Store.failed, ev.key)) return;
    var fresh = Store.stored(ev.key);
    if (!fresh) { delete Store.state[ev.key]; clearPage(ev.key); return; }
    Store.state[ev.key] = fresh;
    (quizzes[ev.key] || []).forEach(function (q) { q.refresh(fresh.answers); });
    (boxes[ev.key] || []).forEach(function (b) { b.refresh(own(fresh.responses, b.pid)); });
  }

  // One part that fails to start must not stop the others: it says so, in place.
  function guard(part, start) {
    try { start(part); } catch (e) {
      var note = el("p", "ck-broken", "This part of the page could not start (" + e.message + "). " +
        "The rest of the page works; your saved work is kept.");
      note.setAttribute("role", "alert");
      part.insertBefore(note, part.firstChild);
      if (window.console) console.error(e);
    }
  }

  // Accessibility fixes for the book theme, found by axe-core: the sidebar's expand
  // toggles have no name, and the bibliography list's items lack the listitem role.
  // A printed textarea shows only what fits its box: print each response in full instead.
  function printResponses() {
    $$(".ck-discussion textarea").forEach(function (ta) {
      var copy = ta.nextElementSibling;
      if (!copy || !copy.classList.contains("ck-print-text")) {
        copy = el("div", "ck-print-text");
        ta.parentNode.insertBefore(copy, ta.nextSibling);
      }
      copy.textContent = ta.value;
    });
  }
  function fixTheme() {
    // From file:// the search page fetches every result page for a summary, which the browser
    // refuses (one console error per result): there, results are listed by title only.
    if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
    $$("nav details > summary").forEach(function (s) {
      if (s.textContent.trim() || s.getAttribute("aria-label")) return;
      var link = s.parentNode.parentNode.querySelector("a");
      s.setAttribute("aria-label", "Show sections of " + (link ? link.textContent.trim() : "this chapter"));
    });
    $$('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (e) { e.setAttribute("role", "listitem"); });
  }

  function init() {
    guard(document.body, fixTheme);
    // Controls that need this script carry `hidden` in the markup: no dead buttons without it.
    $$(".ck-quiz, .ck-discussion, .ck-export").forEach(function (part) {
      part.classList.add("ck-js");
      $$(".ck-needs-js", part).forEach(function (x) { x.hidden = false; });
    });
    $$(".ck-quiz").forEach(function (q) { guard(q, initQuiz); });
    $$(".ck-discussion").forEach(function (d) { guard(d, initDiscussion); });
    $$(".ck-export").forEach(function (x) { guard(x, initExport); });
    window.addEventListener("storage", onStorage);
    window.addEventListener("beforeprint", printResponses);
    window.coursekitReady = performance.now();
    document.dispatchEvent(new Event("coursekit:ready"));
  }
  window.coursekit = {
    grade: grade, record: record, normaliseText: normaliseText, parseNumber: parseNumber, constants: C,
    types: Object.keys(TYPES),
    specs: function () {
      var all = map();
      Object.keys(quizzes).forEach(function (k) {
        quizzes[k].forEach(function (c) { var s = c.specs(); Object.keys(s).forEach(function (q) { all[q] = s[q]; }); });
      });
      return JSON.parse(JSON.stringify(all));
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
