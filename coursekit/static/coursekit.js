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
    "version": 3,
    "readableVersions": [1, 2, 3],
    "fields": ["format", "version", "course", "student", "student_id", "created", "source", "chapter", "mode", "answers", "responses", "exercises", "chapters"],
    "limits": {"student": 200, "studentId": 100, "answer": 10000, "response": 100000, "exercise": 100000, "entries": 500, "items": 100, "chapters": 100, "id": 200, "bytes": 5242880},
    "partSeparator": "--",
    "idPattern": "^[a-z0-9][a-z0-9-]*$",
    "slugLength": 40,
    "combinedName": "all",
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
    },
    "importMessages": {
      "too_large": "Not imported: {file} is {size} bytes; an exported file is at most {limit} bytes.",
      "unreadable": "Not imported: {file} is not a coursekit file of exported work ({reason}).",
      "newer": "Not imported: {file} was made by a newer coursekit (format version {version}); this one reads versions {versions}. Export your work again from the same course, or update coursekit.",
      "other_course": "Not imported: {file} is for another course ({course}), not this one ({expected}).",
      "restored": "Imported {file}: restored {answers} answer(s) and {responses} response(s) in {chapters} chapter(s).",
      "nothing_new": "Imported {file}: nothing new; everything in it is already here.",
      "unchanged": "Already here and the same: {count} answer(s) or response(s).",
      "kept_answers": "Kept your answers here to {count} question(s) in {chapter}, which differ from the file's: {ids}.",
      "kept_newer": "Kept your newer text for {prompt} in {chapter}: yours was saved {saved}, after the file was exported ({created}). The file's text was not used.",
      "kept_longer": "Kept your text for {prompt} in {chapter}: it is longer than the file's, which was not used.",
      "kept_different": "Kept your text for {prompt} in {chapter}: it differs from the file's, which was not used.",
      "kept_hint": "To take a file's text instead of yours, clear yours here (Clear my answers on the chapter's page) and import the file again.",
      "unknown_chapter": "Not imported: {chapter} is not a chapter of this course.",
      "unknown_ids": "Not imported: {count} answer(s) or response(s) in {chapter} to questions this course does not have: {ids}.",
      "identity": "Filled in your name (and student identifier, when the file has one) from the file: they were empty here."
    }
  };
  /* constants:end */

  // ---- maps without prototypes --------------------------------------------------------------
  function map() { return Object.create(null); }
  function has(m, k) { return m !== null && typeof m === "object" && Object.prototype.hasOwnProperty.call(m, k); }

  // ---- the interface's words in the page's language (coursekit/ui.py) -------------------------
  // Every string a reader sees goes through T(): its English text, with {name} placeholders
  // filled from the values given; a translated edition's page carries its translations as
  // JSON in #ck-ui (none in English).
  var UI = (function () {
    var el = document.getElementById("ck-ui"), m = map();
    if (!el) return m;
    try {
      var t = JSON.parse(el.textContent);
      Object.keys(t).forEach(function (k) { if (typeof t[k] === "string") m[k] = t[k]; });
    } catch (e) { /* unreadable: English */ }
    return m;
  })();
  function T(text, values) {
    var s = has(UI, text) ? UI[text] : text;
    return values ? s.replace(/\{(\w+)\}/g, function (all, k) { return has(values, k) ? String(values[k]) : all; }) : s;
  }
  var M = map();  // the grader's messages, in the page's language
  Object.keys(C.messages).forEach(function (k) { M[k] = T(C.messages[k]); });
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
    spec: function (q, k) { return { options: q.labels, answer: q.labels[k.a], feedback: optionFeedback(q.labels, k.f), order: orderOf(q, k) }; },
    toPos: function (s, r) { var i = s.options.indexOf(r); return i < 0 ? r : s.order[i]; },
    fromPos: function (s, v) { var i = s.order.indexOf(v); return isIndex(v, s.options.length) && i >= 0 ? s.options[i] : v; }
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
      return { options: q.labels, answer: k.a.map(function (i) { return q.labels[i]; }).sort(), feedback: optionFeedback(q.labels, k.f), order: orderOf(q, k) };
    },
    toPos: function (s, r) {
      if (!Array.isArray(r) || !r.length || !r.every(function (x) { return s.options.indexOf(x) >= 0; })) return r;
      var at = r.map(function (x) { return s.order[s.options.indexOf(x)]; });
      return at.filter(function (x, i) { return at.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
    },
    fromPos: function (s, v) {
      if (!Array.isArray(v) || !v.length || !v.every(function (x) { return isIndex(x, s.options.length); })) return v;
      return v.map(function (x) { return s.options[s.order.indexOf(x)]; });
    }
  };
  TYPES.truefalse = {
    problem: function (s, r) { return typeof r === "boolean" ? null : M.truefalse; },
    grade: function (s, r) { return result(s, r === s.answer ? 1 : 0, [own(s.feedback, String(r))]); },
    read: function (q) { var c = $("input:checked", q.el); return c ? c.value === "0" : null; },
    restore: function (q, v) { $$("input", q.el).forEach(function (i) { i.checked = v === (i.value === "0"); }); },
    spec: function (q, k) { var f = k.f || ["", ""], m = map(); m["true"] = f[0]; m["false"] = f[1]; return { answer: k.a, feedback: m }; },
    toPos: asTyped,
    fromPos: asTyped
  };
  TYPES.text = {
    problem: function (s, r) { return isStr(r) && normaliseText(r) ? null : M.text; },
    grade: function (s, r) {
      var n = normaliseText(r);
      return result(s, s.accept.some(function (a) { return normaliseText(a) === n; }) ? 1 : 0, []);
    },
    read: function (q) { return $("input", q.el).value; },
    restore: function (q, v) { $("input", q.el).value = isStr(v) ? v : ""; },
    spec: function (q, k) { return { accept: k.a }; },
    toPos: asTyped,
    fromPos: asTyped
  };
  TYPES.numeric = {
    problem: function (s, r) {
      if (parseNumber(r) !== null) return null;
      return isStr(r) && AMBIGUOUS.test(compactNumber(r)) ? M.ambiguous_number : M.numeric;
    },
    grade: function (s, r) { return result(s, Math.abs(parseNumber(r) - s.answer) <= s.tolerance + 1e-9 ? 1 : 0, []); },
    read: TYPES.text.read,
    restore: TYPES.text.restore,
    spec: function (q, k) { return { answer: k.a, tolerance: k.t || 0 }; },
    toPos: asTyped,
    fromPos: asTyped
  };
  TYPES.matching = {
    problem: function (s, r) {
      var any = isObj(r) && s.pairs.some(function (p) { return has(r, p[0]) && isStr(r[p[0]]) && r[p[0]]; });
      return any ? null : M.matching;
    },
    grade: function (s, r) {
      var ok = s.pairs.filter(function (p) { return own(r, p[0]) === p[1]; }).length;
      var marks = s.pairs.map(function (p) { return p[0] + " " + (own(r, p[0]) === p[1] ? "✔" : "✘"); }).join("; ");
      return result(s, ok / s.pairs.length, [T("{right} of {total} pairs matched correctly.", { right: ok, total: s.pairs.length }), marks]);
    },
    read: function (q) {
      var m = map();
      $$("select", q.el).forEach(function (sel, i) { if (sel.value) m[q.lefts[i]] = q.rights[+sel.value]; });
      return m;
    },
    restore: function (q, v) {
      $$("select", q.el).forEach(function (sel, i) { var at = q.rights.indexOf(own(v, q.lefts[i])); sel.value = at < 0 ? "" : String(at); });
    },
    spec: function (q, k) { return { pairs: q.lefts.map(function (l, i) { return [l, q.rights[k.a[i]]]; }) }; },
    toPos: function (s, r) {
      if (!isObj(r)) return r;
      var rights = s.pairs.map(function (p) { return p[1]; });
      return s.pairs.map(function (p) { var i = rights.indexOf(own(r, p[0])); return i < 0 ? null : i; });
    },
    fromPos: function (s, v) {
      var n = s.pairs.length;
      if (!Array.isArray(v) || v.length !== n || !v.every(function (x) { return x === null || isIndex(x, n); })) return v;
      var m = map();
      v.forEach(function (x, i) { if (x !== null) m[s.pairs[i][0]] = s.pairs[x][1]; });
      return m;
    }
  };
  TYPES.ordering = {
    problem: function (s, r) { return sameItems(r, s.items) ? null : M.ordering; },
    grade: function (s, r) {
      var at = [];
      r.forEach(function (x, i) { if (x === s.items[i]) at.push(i + 1); });
      var positions = at.join(", ");
      var where = at.length > 1 ? T("Right: positions {positions}.", { positions: positions }) :
        at.length ? T("Right: position {positions}.", { positions: positions }) : "";
      return result(s, at.length / s.items.length, [T("{placed} of {total} items in the right position.", { placed: at.length, total: s.items.length }), where]);
    },
    read: function (q) { return $$("li", q.el).map(function (li) { return li.ckItem; }); },
    restore: function (q, v) {
      var list = $("ol", q.el), byItem = map();
      $$("li", list).forEach(function (li) { byItem[li.ckItem] = li; });
      if (sameItems(v, q.shown)) v.forEach(function (x) { list.appendChild(byItem[x]); });
    },
    spec: function (q, k) { return { items: k.a.map(function (i) { return q.shown[i]; }) }; },
    toPos: function (s, r) { return sameItems(r, s.items) ? r.map(function (x) { return s.items.indexOf(x); }) : r; },
    fromPos: function (s, v) {
      var n = s.items.length;
      if (!Array.isArray(v) || !v.every(function (x) { return isIndex(x, n); }) ||
          v.slice().sort(function (a, b) { return a - b; }).join() !== s.items.map(function (x, i) { return i; }).join()) return v;
      return v.map(function (x) { return s.items[x]; });
    }
  };
  // Practice answers are stored by position (coursekit/positions.py): the same in every
  // language's edition. toPositions/fromPositions need a practice spec (bank order); an
  // answer already in the other form, or not valid, passes through for the grader to judge.
  function isIndex(x, n) { return typeof x === "number" && x % 1 === 0 && x >= 0 && x < n; }
  function asTyped(s, v) { return v; }
  function orderOf(q, k) { return k.p || q.labels.map(function (l, i) { return i; }); }  // bank index of each shown option
  function toPositions(spec, r) { return typeOf(spec.type).toPos(spec, r); }
  function fromPositions(spec, v) { return typeOf(spec.type).fromPos(spec, v); }
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
  function grade(spec, r) {  // a practice spec: r in the text form or by positions
    r = fromPositions(spec, r);
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
        if (!(isObj(d) && isObj(d.answers) && isObj(d.responses))) return null;
        if (!isObj(d.exercises)) d.exercises = map();  // saved before exercises had answer boxes
        return d;
      } catch (e) { return null; }
    },
    get: function (k) {
      if (!has(this.state, k)) this.state[k] = this.stored(k) || { answers: map(), responses: map(), exercises: map() };
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
  function saveFailed() {
    return T("Not saved: this browser refused to store your work (it may be full, or in a private window that keeps nothing). What you see on the page is kept until you leave it: export your work now to keep it.");
  }

  // ---- quizzes ------------------------------------------------------------------------------
  var quizzes = map();  // chapter store key -> [quiz controller]
  function initQuiz(quizEl) {
    var keyEl = $("script.ck-key", quizEl), keys = keyEl ? parse(keyEl.textContent) : [];
    var mode = quizEl.dataset.ckMode, k = Store.key(quizEl.dataset.ckCourse, quizEl.dataset.ckChapter);
    var scoreEl = $(".ck-score", quizEl), scores = map(), questions = [];
    function updateScore() {
      if (!scoreEl) return;
      var ids = Object.keys(scores), total = ids.reduce(function (s, id) { return s + scores[id]; }, 0);
      scoreEl.textContent = T("Score: {score} of {count} ({checked} checked).", { score: round4(total), count: questions.length, checked: ids.length });
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
      var actions = el("div", "ck-actions"), button = el("button", "ck-check", mode === "practice" ? T("Check") : T("Save answer"));
      var fbox = el("div", "ck-feedback"), ex = el("div", "ck-explanation");
      button.type = "button";
      fbox.setAttribute("role", "status");
      ex.hidden = true;
      actions.appendChild(button);
      var after = $("fieldset", qel).nextSibling;
      [actions, fbox, ex].forEach(function (part) { qel.insertBefore(part, after); });
      q.show = function (res, restored) {
        if (mode === "assessment") { say(fbox, [restored ? T("Restored: {message}", { message: M.recorded }) : M.recorded]); return; }
        var lines = res.feedback.slice();
        lines[0] = MARK[res.status] + (restored ? T("Restored from your saved answers. {feedback}", { feedback: lines[0] }) : lines[0]);
        say(fbox, lines, res.status);
        ex.textContent = "";
        var b = el("strong", "", T("Explanation: "));
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
        var stored = mode === "practice" ? toPositions(q.spec, r) : r;  // assessment pages carry no bank order
        var saved = Store.write(k, function (d) { d.answers[q.qid] = stored; });
        q.show(res, false);
        if (!saved) fbox.appendChild(el("p", "ck-warning", saveFailed()));
      };
      q.restoreSaved = function (v) {
        if (mode === "practice") v = fromPositions(q.spec, v);
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
      var hint = el("p", "ck-hint ck-screen-only", T("Earliest or first at the top. Use the ▲ and ▼ buttons to move an item.")), list = $("ol", q.el);
      hint.id = "ck-hint-" + q.qid;
      list.setAttribute("aria-describedby", hint.id);
      list.parentNode.insertBefore(hint, list);
      $$("li", q.el).forEach(function (li) {
        var item = li.ckItem, span = el("span", "ck-item", item), box = el("span", "ck-move");
        li.textContent = "";
        li.appendChild(span);
        [["ck-up", "▲", T("Move up: {item}", { item: item })], ["ck-down", "▼", T("Move down: {item}", { item: item })]].forEach(function (b) {
          var btn = el("button", b[0], b[1]);
          btn.type = "button";
          btn.setAttribute("aria-label", b[2]);
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
      say($(".ck-feedback", q.el), [T("“{item}” is now at position {position} of {count}.", { item: li.ckItem, position: pos, count: list.children.length })]);
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
  var boxes = map();  // chapter store key -> [text box controller]: discussion responses and exercise answers
  // A box of text saved as you type: a discussion response (field "responses") or an exercise
  // answer (field "exercises"), with the same autosave, count, restore and failure handling.
  function initTextBox(d, id, field, countText) {
    var ta = $("textarea", d), count = $(".ck-count", d);
    var status = $(".ck-feedback", d), auto = $(".ck-autosaved", d);
    var k = Store.key(d.dataset.ckCourse, d.dataset.ckChapter);
    var seen = own(Store.get(k)[field], id);  // the text as this page last loaded or saved it
    function update() { count.textContent = countText(words(ta.value)); }
    // Saves unless another tab or window changed the stored text since this page saw it:
    // then nothing is overwritten, and the student is told.
    function persist() {
      var fresh = Store.stored(k), current = fresh ? own(fresh[field], id) : own(Store.get(k)[field], id);
      if (!has(Store.failed, k) && fresh && current !== seen) {
        say(status, [field === "exercises" ?
          T("Not saved: this answer was changed in another tab or window since you opened this page. Your text here is still on the page: copy it, then reload the page to see the other version.") :
          T("Not saved: this response was changed in another tab or window since you opened this page. Your text here is still on the page: copy it, then reload the page to see the other version.")], "invalid");
        auto.textContent = "";
        return false;
      }
      var ok = Store.write(k, function (data) {
        if (!isObj(data[field])) data[field] = map();
        data[field][id] = ta.value; stamp(data, id);
      });
      if (ok) { seen = ta.value; if (status.classList.contains("ck-invalid")) say(status, []); }
      else { say(status, [saveFailed()], "invalid"); auto.textContent = ""; }
      return ok;
    }
    if (seen) ta.value = seen;
    update();
    ta.addEventListener("input", function () {
      update();
      if (persist()) auto.textContent = T("Saved automatically at {time}.", { time: new Date().toLocaleTimeString() });
    });
    $(".ck-save", d).addEventListener("click", function () { if (persist()) say(status, [T("Saved.")]); });
    var controller = {
      key: k, pid: id, field: field,
      value: function () { return ta.value; },
      clear: function () { ta.value = ""; seen = ""; update(); say(status, []); auto.textContent = ""; },
      refresh: function (text) {  // another tab saved: take its text if nothing here is unsaved
        if (ta.value === seen && text !== seen) { ta.value = seen = text; update(); }
      }
    };
    (boxes[k] = boxes[k] || []).push(controller);
    return { textarea: ta, status: status };
  }
  function initDiscussion(d) {
    var min = +d.dataset.ckWords, details = $("details", d);
    var box = initTextBox(d, d.dataset.ckPid, "responses", function (n) { return T("{count} of {range} words.", { count: n, range: min }); });
    if (details) $("summary", details).addEventListener("click", function (ev) {
      if (!details.open && words(box.textarea.value) < min) {
        ev.preventDefault();
        say(box.status, [T("Other perspectives open once you have written {min} words (you have {count}); then compare your view with other perspectives.", { min: min, count: words(box.textarea.value) })]);
      }
    });
  }
  // Same text as count_text() in exercises.py: "412 of 700-900 words.", or "412 words." without a length.
  function countText(n, lo, hi) {
    var range = rangeText(lo, hi);
    return range ? T("{count} of {range} words.", { count: n, range: range }) : T("{count} words.", { count: n });
  }
  function rangeText(lo, hi) { return lo > 0 ? (lo === hi ? String(lo) : lo + "-" + hi) : ""; }  // "700-900", "" without a length
  function initAnswer(d) {
    var lo = +d.dataset.ckMin, hi = +d.dataset.ckMax;
    initTextBox(d, d.dataset.ckAid, "exercises", function (n) { return countText(n, lo, hi); });
  }

  // ---- export, clear and forget ---------------------------------------------------------------
  // Same rule as submission_filename() in submission.py: accents folded, so "José" is "jose".
  function slug(s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, C.slugLength).replace(/-+$/, "") || "student";
  }
  // Same rule as ANSWER_CONTROL in exercises.py: no control character but tab and line ends.
  var ANSWER_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
  function tooLong(answers, responses, student, exercises) {
    if (student.length > C.limits.student) return T("Your name is longer than {limit} characters.", { limit: C.limits.student });
    for (var x in exercises || {}) {
      if (exercises[x].length > C.limits.exercise)
        return T("An exercise answer is longer than {limit} characters ({length}): shorten it before exporting.", { limit: C.limits.exercise, length: exercises[x].length });
      var bad = ANSWER_CONTROL.exec(exercises[x]);
      if (bad) return T("An exercise answer holds a control character (U+{code}), perhaps pasted from another program: delete it before exporting.",
        { code: ("000" + bad[0].charCodeAt(0).toString(16).toUpperCase()).slice(-4) });
    }
    for (var id in responses) if (responses[id].length > C.limits.response)
      return T("A discussion response is longer than {limit} characters ({length}): shorten it before exporting.", { limit: C.limits.response, length: responses[id].length });
    for (var q in answers) if (JSON.stringify(answers[q]).length > C.limits.answer)
      return T("An answer is longer than {limit} characters: shorten it before exporting.", { limit: C.limits.answer });
    return "";
  }
  // What the page holds now: saved answers, and every response box as it reads at this moment.
  function liveWork(k) {
    var d = Store.get(k), answers = map(), responses = map(), exercises = textsOf(d.exercises);
    Object.keys(d.answers).forEach(function (q) { answers[q] = d.answers[q]; });
    Object.keys(d.responses).forEach(function (p) { if (isStr(d.responses[p])) responses[p] = d.responses[p]; });
    (boxes[k] || []).forEach(function (b) {
      if (b.field !== "exercises") responses[b.pid] = b.value();
      else if (b.value()) exercises[b.pid] = b.value();
      else delete exercises[b.pid];  // an empty box is no answer
    });
    return { answers: answers, responses: responses, exercises: exercises };
  }
  function textsOf(m) {  // the answers of a stored map of exercise answers (text, not empty), as a new map
    var out = map();
    if (isObj(m)) Object.keys(m).forEach(function (a) { if (isStr(m[a]) && m[a]) out[a] = m[a]; });
    return out;
  }
  function nonEmpty(m) { return Object.keys(m).some(function (a) { return !!m[a]; }); }
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
  // ---- who is exporting: the name and an optional student identifier, remembered per browser ----
  // Same rule as student_id_problem() in submission.py (the limit is C.limits.studentId).
  var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  function idProblem(t) {
    if (t.length > C.limits.studentId) return T("Your student number or e-mail is longer than {limit} characters.", { limit: C.limits.studentId });
    if (CONTROL.test(t)) return T("Your student number or e-mail holds a control character (such as a line break or a tab): type it again.");
    return "";
  }
  // The identifier field sits after the name field (the script adds it: the page's markup,
  // which the notebooks' stored outputs carry, stays as it is).
  function addIdField(nameInput) {
    var input = el("input", "ck-student-id"), label = el("label", "", T("Student number or e-mail (optional: if your instructor asks for one)"));
    input.type = "text"; input.id = nameInput.id + "-sid"; input.autocomplete = "off"; input.spellcheck = false;
    label.htmlFor = input.id;
    nameInput.parentNode.insertBefore(label, nameInput.nextSibling);
    label.parentNode.insertBefore(input, label.nextSibling);
    input.value = Store.setting("student_id");
    return input;
  }
  // {student, id} from the fields, remembered for the next export; null (and a message) when unusable.
  function identity(name, sid, status) {
    var student = name.value.trim(), ident = sid.value.trim(), p = ident ? idProblem(ident) : "";
    if (!student) { say(status, [T("Type your name first: your instructor needs it.")]); name.focus(); return null; }
    if (p) { say(status, [p], "invalid"); sid.focus(); return null; }
    Store.setting("name", student);
    Store.setting("student_id", ident || null);
    return { student: student, id: ident };
  }
  // The fields every file starts with, in the schema's order (C.fields).
  function head(course, who) {
    var sub = { format: C.format, version: C.version, course: course, student: who.student };
    if (who.id) sub.student_id = who.id;
    sub.created = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    sub.source = "book";
    return sub;
  }
  function stamp(data, pid) {  // when a response was last saved here (an import compares it)
    if (!isObj(data.saved)) data.saved = map();
    data.saved[pid] = new Date().toISOString();
  }
  var identityFields = [];  // [name input, identifier input] of every panel on the page
  // Forget me on this computer: the name, the identifier and every record of the course.
  function forgetCourse(course) {
    var prefix = "coursekit:" + course + ":", doomed = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) doomed.push(key);
      }
    } catch (e) { /* nothing stored */ }
    doomed.concat(Object.keys(Store.state)).forEach(function (key) { if (key.indexOf(prefix) === 0) Store.remove(key); });
    Store.setting("name", null);
    Store.setting("student_id", null);
    identityFields.forEach(function (f) { f[0].value = ""; f[1].value = ""; });
    Object.keys(quizzes).concat(Object.keys(boxes)).forEach(clearPage);
    refreshers.forEach(function (f) { f(); });
  }
  function forgetConfirm() {
    return T("Forget your name, your student identifier and every answer and response of this course saved in this browser, on every page?");
  }
  function forgotten() {
    return T("Forgotten: your name, your student identifier and all your saved work for this course are gone from this browser.");
  }
  function initExport(panel) {
    var status = $(".ck-feedback", panel), name = $("input", panel), ch = panel.dataset.ckChapter;
    var course = panel.dataset.ckCourse, k = Store.key(course, ch);
    var quiz = $('.ck-quiz[data-ck-chapter="' + ch + '"]');
    name.value = Store.setting("name");
    var sid = addIdField(name);
    identityFields.push([name, sid]);
    var hint = $(".ck-hint", panel);
    if (hint) hint.textContent = T("On a shared computer, Forget me removes your name, your student identifier and everything you saved for this course in this browser, on every page.");
    Store.listeners.push(function (key, ok) {
      if (key === k) say(status, ok ? [T("Saving works again: your work is stored in this browser.")] : [saveFailed()], ok ? "" : "invalid");
    });
    try { window.localStorage.setItem("coursekit:probe", "1"); window.localStorage.removeItem("coursekit:probe"); }
    catch (e) { say(status, [T("This browser does not allow saving: export your work before you leave the page.")], "invalid"); }
    $(".ck-export-btn", panel).addEventListener("click", function () {
      var who = identity(name, sid, status);
      if (!who) return;
      var work = liveWork(k), problem = tooLong(work.answers, work.responses, who.student, work.exercises);
      if (problem) { say(status, [problem], "invalid"); return; }
      var sub = head(course, who);
      sub.chapter = ch; sub.mode = quiz ? quiz.dataset.ckMode : "practice";
      sub.answers = work.answers; sub.responses = work.responses;
      if (nonEmpty(work.exercises)) sub.exercises = work.exercises;
      var file = "submission-" + ch + "-" + slug(who.student) + ".json";
      download(file, JSON.stringify(sub, null, 2));
      say(status, [T("Exported {file}: hand this file to your instructor.", { file: file })]);
    });
    var clearBtn = $(".ck-clear-btn", panel);  // an exercise page has none: it shares its chapter's work
    if (clearBtn) clearBtn.addEventListener("click", function () {
      if (!window.confirm(T("Clear every answer and response you saved on this page?"))) return;
      Store.remove(k);
      clearPage(k);
      say(status, [T("Cleared: your saved answers and responses for this page are gone.")]);
    });
    var forget = $(".ck-forget-btn", panel);
    if (forget) forget.addEventListener("click", function () {
      if (!window.confirm(forgetConfirm())) return;
      forgetCourse(course);
      say(status, [forgotten()]);
    });
  }

  var refreshers = [];  // redraw the My work table when storage changes
  // @my-work-only begin: this part is served only to the My work page (sphinx_ext.served_static)
  // ---- My work: every chapter of the book, export everything, import -------------------------
  // The chapters, their questions (with what the grader needs) and prompts come from the build
  // (coursekit/my_work.py writes them into the page): nothing here knows the course.
  function fmt(name, values) {
    return T(C.importMessages[name], values);
  }
  function versionsText() {
    var v = C.readableVersions;
    return v.length > 1 ? T("{list} and {last}", { list: v.slice(0, -1).join(", "), last: v[v.length - 1] }) : String(v[0]);
  }
  function latest(k) {  // the freshest record: storage, unless only memory holds the latest work
    return has(Store.failed, k) ? Store.get(k) : (Store.stored(k) || Store.get(k));
  }
  function canon(v) {  // JSON with object keys sorted: equal answers give equal text
    return JSON.stringify(v, function (key, x) {
      if (!isObj(x)) return x;
      var m = map();
      Object.keys(x).sort().forEach(function (p) { m[p] = x[p]; });
      return m;
    });
  }
  function label(ch) { return (ch.number ? ch.number + " " : "") + ch.title; }
  function progressOf(course, ch) {
    var d = latest(Store.key(course, ch.chapter)), answered = 0, score = 0, prompts = [];
    ch.questions.forEach(function (q) {
      if (!has(d.answers, q.id)) return;
      var r = grade(q.spec, d.answers[q.id]);
      if (r.status === "invalid") return;
      answered++; score += r.score;
    });
    ch.discussions.forEach(function (p) {
      var t = own(d.responses, p.id);
      prompts.push({ words: isStr(t) ? words(t) : 0, of: p.words });
    });
    var tasks = (ch.exercises || []).map(function (x) {
      var t = own(d.exercises, x.id);
      return { words: isStr(t) ? words(t) : 0, of: rangeText(x.min, x.max) };
    });
    return { answered: answered, score: round4(score), prompts: prompts, exercises: tasks };
  }
  function idOk(id) { return isStr(id) && id.length <= C.limits.id && new RegExp(C.idPattern).test(id); }
  function answerOk(v) {
    var L = C.limits;
    if (typeof v === "boolean") return true;
    if (isStr(v)) return v.length <= L.answer;
    if (isIndex(v, L.items)) return true;  // an answer by position
    if (Array.isArray(v)) return v.length <= L.items && (v.every(function (x) { return isStr(x) && x.length <= L.answer; }) ||
      v.every(function (x) { return x === null || isIndex(x, L.items); }));
    return isObj(v) && Object.keys(v).length <= L.items && Object.keys(v).every(function (p) { return isStr(v[p]) && v[p].length <= L.answer; });
  }
  function partProblem(w, where) {
    if (!isObj(w.answers) || !isObj(w.responses)) return T("{chapter}: answers and responses must be objects", { chapter: where });
    var a = Object.keys(w.answers), r = Object.keys(w.responses);
    if (a.length > C.limits.entries || r.length > C.limits.entries) return T("{chapter}: more than {limit} entries", { chapter: where, limit: C.limits.entries });
    if (!a.concat(r).every(idOk)) return T("{chapter}: an id that is not a question id", { chapter: where });
    if (!a.every(function (q) { return answerOk(w.answers[q]); })) return T("{chapter}: an answer of the wrong shape or too long", { chapter: where });
    if (!r.every(function (p) { return isStr(w.responses[p]) && w.responses[p].length <= C.limits.response; }))
      return T("{chapter}: a response that is not text or is longer than {limit} characters", { chapter: where, limit: C.limits.response });
    if (has(w, "mode") && w.mode !== "practice" && w.mode !== "assessment") return T("{chapter}: an unknown mode", { chapter: where });
    if (has(w, "exercises")) {
      if (!isObj(w.exercises) || Object.keys(w.exercises).length > C.limits.entries) return T("{chapter}: exercises must be an object of at most {limit} answers", { chapter: where, limit: C.limits.entries });
      var x = Object.keys(w.exercises);
      if (!x.every(idOk)) return T("{chapter}: an id that is not an exercise id", { chapter: where });
      if (!x.every(function (a) { return isStr(w.exercises[a]) && w.exercises[a].length <= C.limits.exercise && !ANSWER_CONTROL.test(w.exercises[a]); }))
        return T("{chapter}: an exercise answer that is not text, is longer than {limit} characters or holds a control character", { chapter: where, limit: C.limits.exercise });
    }
    return "";
  }
  // The file's chapters as [{chapter, answers, responses}], or a string: why it cannot be read.
  function partsOf(d) {
    if (!isStr(d.student) || !d.student.trim() || d.student.length > C.limits.student) return T("the student name is missing or too long");
    if (has(d, "student_id") && (d.version < 2 || !isStr(d.student_id) || !d.student_id.trim() || idProblem(d.student_id))) return T("the student identifier is not valid");
    if (!isStr(d.created) || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/.test(d.created)) return T("created is not a date and time");
    if (has(d, "chapters")) {
      if (d.version < 2 || has(d, "chapter") || !isObj(d.chapters)) return T("chapters is not a list of chapters");
      var stems = Object.keys(d.chapters), out = [], why = "";
      if (!stems.length || stems.length > C.limits.chapters) return T("it holds no chapters, or more than {limit}", { limit: C.limits.chapters });
      stems.forEach(function (c) {
        if (why) return;
        if (!idOk(c) || !isObj(d.chapters[c])) { why = T("a chapter that is not a chapter name"); return; }
        why = partProblem(d.chapters[c], c);
        out.push({ chapter: c, answers: d.chapters[c].answers, responses: d.chapters[c].responses, exercises: textsOf(d.chapters[c].exercises) });
      });
      return why || out;
    }
    if (!idOk(d.chapter)) return T("it names no chapter");
    return partProblem(d, d.chapter) || [{ chapter: d.chapter, answers: d.answers, responses: d.responses, exercises: textsOf(d.exercises) }];
  }
  function listIds(ids) {
    var shown = ids.slice(0, 5).join(", ");
    return ids.length > 5 ? T("{ids} and {count} more", { ids: shown, count: ids.length - 5 }) : shown;
  }
  function quoted(text) { return "“" + (text.length <= 60 ? text : text.slice(0, 59).replace(/\s+$/, "") + "…") + "”"; }
  // Import my work, by the rules of coursekit/importing.py. Returns {lines, refused, failed}.
  function importText(text, file, book) {
    var d;
    try { d = parse(text); } catch (e) { return { refused: true, lines: [fmt("unreadable", { file: file, reason: T("it is not JSON") })] }; }
    if (!isObj(d) || d.format !== C.format)
      return { refused: true, lines: [fmt("unreadable", { file: file, reason: T("it is not a coursekit submission") })] };
    if (typeof d.version !== "number" || C.readableVersions.indexOf(d.version) < 0) {
      if (typeof d.version === "number" && d.version % 1 === 0 && d.version > Math.max.apply(null, C.readableVersions))
        return { refused: true, lines: [fmt("newer", { file: file, version: d.version, versions: versionsText() })] };
      return { refused: true, lines: [fmt("unreadable", { file: file, reason: T("submission version {version} is not supported", { version: JSON.stringify(d.version) }) })] };
    }
    if (d.course !== book.course)
      return { refused: true, lines: [fmt("other_course", { file: file, course: String(d.course), expected: book.course })] };
    var parts = partsOf(d);
    if (isStr(parts)) return { refused: true, lines: [fmt("unreadable", { file: file, reason: parts })] };
    var res = { answers: 0, responses: 0, chapters: 0, unchanged: 0, kept: [], refusals: [], failed: false, keptText: false };
    var byChapter = map();
    book.chapters.forEach(function (ch) { byChapter[ch.chapter] = ch; });
    parts.forEach(function (part) {
      if (!has(byChapter, part.chapter)) { res.refusals.push(fmt("unknown_chapter", { chapter: part.chapter })); return; }
      var ch = byChapter[part.chapter], name = ch.number ? T("chapter {number}", { number: ch.number }) : ch.chapter, questions = map(), prompts = map(), here = false, differing = [];
      ch.questions.forEach(function (q) { questions[q.id] = true; });
      ch.discussions.forEach(function (p) { prompts[p.id] = p.prompt; });
      var tasks = map();
      (ch.exercises || []).forEach(function (x) { tasks[x.id] = x.title; });
      var unknown = Object.keys(part.answers).filter(function (q) { return !has(questions, q); })
        .concat(Object.keys(part.responses).filter(function (p) { return !has(prompts, p); }))
        .concat(Object.keys(part.exercises).filter(function (a) { return !has(tasks, a); }));
      if (unknown.length) res.refusals.push(fmt("unknown_ids", { count: unknown.length, chapter: name, ids: listIds(unknown) }));
      var ok = Store.write(Store.key(book.course, ch.chapter), function (rec) {
        if (!isObj(rec.saved)) rec.saved = map();
        Object.keys(part.answers).forEach(function (q) {
          if (!has(questions, q)) return;
          var v = part.answers[q];
          if (!has(rec.answers, q)) { rec.answers[q] = v; res.answers++; here = true; }
          else if (canon(rec.answers[q]) === canon(v)) res.unchanged++;
          else differing.push(q);
        });
        if (!isObj(rec.exercises)) rec.exercises = map();
        // responses, then exercise answers: the same rules (an exercise answer counts as a response)
        [["responses", part.responses, prompts], ["exercises", part.exercises, tasks]].forEach(function (f) {
         Object.keys(f[1]).forEach(function (p) {
          if (!has(f[2], p)) return;
          var text = f[1][p], mine = isStr(own(rec[f[0]], p)) ? own(rec[f[0]], p) : "";
          if (text === mine) { if (text) res.unchanged++; return; }
          if (!mine.trim() || text.indexOf(mine) === 0) {
            rec[f[0]][p] = text; rec.saved[p] = d.created; res.responses++; here = true; return;
          }
          var saved = own(rec.saved, p), values = { prompt: quoted(f[2][p]), chapter: name };
          res.keptText = true;
          if (isStr(saved) && Date.parse(saved) > Date.parse(d.created)) {
            values.saved = saved.replace(/\.\d+Z$/, "Z"); values.created = d.created;
            res.kept.push(fmt("kept_newer", values));
          } else res.kept.push(fmt(mine.length > text.length ? "kept_longer" : "kept_different", values));
         });
        });
      });
      if (differing.length) res.kept.push(fmt("kept_answers", { count: differing.length, chapter: name, ids: listIds(differing) }));
      if (here) res.chapters++;
      if (!ok) res.failed = true;
    });
    var lines = [res.answers || res.responses ?
      fmt("restored", { file: file, answers: res.answers, responses: res.responses, chapters: res.chapters }) :
      fmt("nothing_new", { file: file })];
    if (res.unchanged) lines.push(fmt("unchanged", { count: res.unchanged }));
    lines = lines.concat(res.kept);
    if (res.keptText) lines.push(T(C.importMessages.kept_hint));
    lines = lines.concat(res.refusals);
    if (!Store.setting("name") && !Store.setting("student_id")) {
      Store.setting("name", d.student.trim());
      if (has(d, "student_id")) Store.setting("student_id", d.student_id.trim());
      identityFields.forEach(function (f) { f[0].value = Store.setting("name"); f[1].value = Store.setting("student_id"); });
      lines.push(T(C.importMessages.identity));
    }
    if (res.failed) lines.push(saveFailed());
    return { refused: false, failed: res.failed, lines: lines };
  }
  // The exercise tasks of the book (coursekit/exercise_map.py writes them beside the chapters' map):
  // each joins its chapter, or is a part of its own (the capstone) after the chapters.
  function addExercises(book) {
    var byStem = map();
    book.chapters.forEach(function (ch) { ch.exercises = []; byStem[ch.chapter] = ch; });
    var x = $("script.ck-exercise-map");
    if (!x) return;
    parse(x.textContent).exercises.forEach(function (page) {
      var ch = byStem[page.chapter];
      if (!ch) {
        ch = byStem[page.chapter] = { chapter: page.chapter, number: "", title: page.title, url: page.url, questions: [], discussions: [], exercises: [] };
        book.chapters.push(ch);
      }
      ch.exercises = ch.exercises.concat(page.tasks);
    });
  }
  function initMyWork(root) {
    var mapEl = $("script.ck-book-map");
    if (!mapEl) throw new Error("the book was built without its list of chapters (the coursekit.my_work extension)");
    var book = parse(mapEl.textContent), course = book.course;
    addExercises(book);
    root.textContent = "";
    function part(tag, text, id) { var x = el(tag, "", text); if (id) x.id = id; root.appendChild(x); return x; }
    function field(id, text, type) {
      var l = el("label", "", text), i = el("input");
      i.type = type; i.id = id; l.htmlFor = id;
      root.appendChild(l); root.appendChild(i);
      return i;
    }
    function region(id) { var r = el("div", "ck-feedback"); r.id = id; r.setAttribute("role", "status"); root.appendChild(r); return r; }
    function button(cls, text) { var b = el("button", cls, text); b.type = "button"; return b; }
    part("h2", T("Your progress"), "ck-mw-progress");
    part("p", T("What this browser holds for each chapter: questions answered, your score on the practice questions, and the words you have written in each discussion against its suggested length."));
    var table = el("table", "ck-mw-table"), caption = el("caption", "", T("Your work in each chapter, as saved in this browser"));
    var thead = el("thead"), tr = el("tr"), tbody = el("tbody"), tfoot = el("tfoot");
    [T("Chapter"), T("Questions answered"), T("Score (practice)"), T("Discussion words"), T("Exercise words")].forEach(function (h) {
      var th = el("th", "", h); th.scope = "col"; tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(caption); table.appendChild(thead); table.appendChild(tbody); table.appendChild(tfoot);
    var wrap = el("div", "ck-mw-scroll");
    wrap.appendChild(table); root.appendChild(wrap);
    // the table's cells: "3 of 5", "412 of 700; 80 of 100 words"
    function ofText(count, total) { return T("{count} of {total}", { count: count, total: total }); }
    function wordsText(count) { return T("{count} words", { count: count }); }
    function row(parent, head, cells, link) {
      var r = el("tr"), th = el("th");
      th.scope = "row";
      if (link) { var a = el("a", "", head); a.href = link; th.appendChild(a); } else th.textContent = head;
      r.appendChild(th);
      cells.forEach(function (c) { r.appendChild(el("td", "", c)); });
      parent.appendChild(r);
    }
    function draw() {
      tbody.textContent = ""; tfoot.textContent = "";
      var all = { answered: 0, questions: 0, score: 0, words: 0, exercise: 0 };
      book.chapters.forEach(function (ch) {
        var p = progressOf(course, ch), n = ch.questions.length;
        all.answered += p.answered; all.questions += n; all.score += p.score;
        var talk = p.prompts.map(function (x) { all.words += x.words; return ofText(x.words, x.of); }).join("; ");
        var tasks = p.exercises.map(function (x) { all.exercise += x.words; return x.of ? ofText(x.words, x.of) : String(x.words); }).join("; ");
        row(tbody, label(ch), [n ? ofText(p.answered, n) : T("no quiz"), n ? ofText(round4(p.score), n) : "", talk ? wordsText(talk) : T("no discussion"),
          tasks ? wordsText(tasks) : T("no exercise")], ch.url);
      });
      row(tfoot, T("All chapters"), [ofText(all.answered, all.questions), ofText(round4(all.score), all.questions), wordsText(all.words), wordsText(all.exercise)]);
    }
    draw();
    refreshers.push(draw);

    part("h2", T("Export everything"), "ck-mw-export");
    part("p", T("One file with your work from every chapter, to hand in when your instructor asks for all of it (or to carry your work to another browser or device). Each chapter's page exports that chapter alone."));
    var name = field("ck-mw-name", T("Your name, as your instructor knows you"), "text");
    name.autocomplete = "name";
    name.value = Store.setting("name");
    var sid = addIdField(name);
    identityFields.push([name, sid]);
    var actions = el("div", "ck-actions"), exportBtn = button("ck-export-all", T("Export everything"));
    actions.appendChild(exportBtn); root.appendChild(actions);
    var exportStatus = region("ck-mw-export-status");
    exportBtn.addEventListener("click", function () {
      var who = identity(name, sid, exportStatus);
      if (!who) return;
      var chapters = map(), count = 0, problem = "";
      book.chapters.forEach(function (ch) {
        var d = latest(Store.key(course, ch.chapter)), answers = map(), responses = map(), any = false, exercises = textsOf(d.exercises);
        Object.keys(d.answers).forEach(function (q) { answers[q] = d.answers[q]; any = true; });
        Object.keys(d.responses).forEach(function (p) { if (isStr(d.responses[p])) { responses[p] = d.responses[p]; any = any || !!d.responses[p]; } });
        any = any || nonEmpty(exercises);
        if (!any) return;
        problem = problem || tooLong(answers, responses, who.student, exercises);
        chapters[ch.chapter] = { mode: "practice", answers: answers, responses: responses };
        if (nonEmpty(exercises)) chapters[ch.chapter].exercises = exercises;
        count++;
      });
      if (problem) { say(exportStatus, [problem], "invalid"); return; }
      if (!count) { say(exportStatus, [T("Nothing to export yet: no chapter has an answer or a response saved in this browser.")]); return; }
      var sub = head(course, who);
      sub.chapters = chapters;
      var file = "submission-" + C.combinedName + "-" + slug(who.student) + ".json";
      download(file, JSON.stringify(sub, null, 2));
      say(exportStatus, [T("Exported {file}: your work from {count} chapter(s), in one file.", { file: file, count: count })]);
    });

    part("h2", T("Import my work"), "ck-mw-import");
    part("p", T("Load a file you exported (from a chapter's page, from this page, or from Jupyter) to bring its answers and responses into this browser. Nothing you have here is replaced: an answer or a response that differs from the file's is kept, and the message below says which."));
    var input = field("ck-mw-file", T("Choose an exported file (.json)"), "file");
    input.accept = ".json,application/json";
    var importStatus = region("ck-mw-import-status");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var done = function (result) { say(importStatus, result.lines, result.refused || result.failed ? "invalid" : ""); draw(); input.value = ""; };
      if (file.size > C.limits.bytes) {
        done({ refused: true, lines: [fmt("too_large", { file: file.name, size: file.size.toLocaleString("en-US"), limit: C.limits.bytes.toLocaleString("en-US") })] });
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var text;
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(reader.result); }
        catch (e) { done({ refused: true, lines: [fmt("unreadable", { file: file.name, reason: T("it is not UTF-8 text") })] }); return; }
        done(importText(text, file.name, book));
      };
      reader.onerror = function () { done({ refused: true, lines: [fmt("unreadable", { file: file.name, reason: T("this browser could not read it") })] }); };
      reader.readAsArrayBuffer(file);
    });

    part("h2", T("On a shared computer"), "ck-mw-forget");
    part("p", T("Forget me removes your name, your student identifier and everything you saved for this course in this browser, on every page. Export your work first.")).className = "ck-hint";
    var forgetActions = el("div", "ck-actions"), forget = button("ck-forget-btn", T("Forget me on this computer"));
    forgetActions.appendChild(forget); root.appendChild(forgetActions);
    var forgetStatus = region("ck-mw-forget-status");
    forget.addEventListener("click", function () {
      if (!window.confirm(forgetConfirm())) return;
      forgetCourse(course);
      say(forgetStatus, [forgotten()]);
    });
  }
  // @my-work-only end

  // Another tab or window of this browser saved: show its work here, where nothing is unsaved.
  function onStorage(ev) {
    if (ev.key === null || ev.key.indexOf("coursekit:") === 0) refreshers.forEach(function (f) { f(); });
    if (!ev.key || !(has(quizzes, ev.key) || has(boxes, ev.key)) || has(Store.failed, ev.key)) return;
    var fresh = Store.stored(ev.key);
    if (!fresh) { delete Store.state[ev.key]; clearPage(ev.key); return; }
    Store.state[ev.key] = fresh;
    (quizzes[ev.key] || []).forEach(function (q) { q.refresh(fresh.answers); });
    (boxes[ev.key] || []).forEach(function (b) { b.refresh(own(fresh[b.field], b.pid)); });
  }

  // One part that fails to start must not stop the others: it says so, in place.
  function guard(part, start) {
    try { start(part); } catch (e) {
      var note = el("p", "ck-broken", T("This part of the page could not start ({error}). The rest of the page works; your saved work is kept.", { error: e.message }));
      note.setAttribute("role", "alert");
      part.insertBefore(note, part.firstChild);
      if (window.console) console.error(e);
    }
  }

  // Accessibility fixes for the book theme, found by axe-core: the sidebar's expand
  // toggles have no name, and the bibliography list's items lack the listitem role.
  // A printed textarea shows only what fits its box: print each response in full instead.
  function printResponses() {
    $$(".ck-discussion textarea, .ck-answer textarea").forEach(function (ta) {
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
      s.setAttribute("aria-label", link ? T("Show sections of {chapter}", { chapter: link.textContent.trim() }) : T("Show sections of this chapter"));
    });
    $$('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (e) { e.setAttribute("role", "listitem"); });
  }

  function init() {
    guard(document.body, fixTheme);
    // Controls that need this script carry `hidden` in the markup: no dead buttons without it.
    $$(".ck-quiz, .ck-discussion, .ck-answer, .ck-export, .ck-mywork").forEach(function (part) {
      part.classList.add("ck-js");
      $$(".ck-needs-js", part).forEach(function (x) { x.hidden = false; });
    });
    $$(".ck-quiz").forEach(function (q) { guard(q, initQuiz); });
    $$(".ck-discussion").forEach(function (d) { guard(d, initDiscussion); });
    $$(".ck-answer").forEach(function (d) { guard(d, initAnswer); });
    $$(".ck-export").forEach(function (x) { guard(x, initExport); });
    // @my-work-only begin
    $$(".ck-mywork").forEach(function (x) { guard(x, initMyWork); });
    // @my-work-only end
    window.addEventListener("storage", onStorage);
    window.addEventListener("beforeprint", printResponses);
    window.coursekitReady = performance.now();
    document.dispatchEvent(new Event("coursekit:ready"));
  }
  window.coursekit = {
    grade: grade, record: record, normaliseText: normaliseText, parseNumber: parseNumber, constants: C,
    toPositions: toPositions, fromPositions: fromPositions,
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
