/* coursekit static view: quizzes, discussions and export in the built book, no kernel,
   no network. Grading mirrors coursekit/grading.py; tests/answer_cases.yml tests both.
   Text from banks or students is only ever set with textContent or .value. */
(function () {
  "use strict";

  // ---- grading (keep in step with grading.py) ----------------------------------------
  function normaliseText(s) {
    return String(s).normalize("NFKD").replace(/[\t\n\v\f\r\p{Z}\p{Pd}]/gu, " ")
      .replace(/[\p{M}\p{P}\p{S}\p{Cc}\p{Cf}]/gu, "").toLowerCase().split(" ").filter(Boolean).join(" ");
  }
  var NUMBER = /^[+-]?([0-9]+([.,][0-9]+)?|[.,][0-9]+)$/;
  function parseNumber(v) {
    if (typeof v === "number") return v;
    if (typeof v !== "string") return null;
    var c = v.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "").replace(/ /g, "");
    return NUMBER.test(c) ? parseFloat(c.replace(",", ".")) : null;
  }
  function round4(x) { return Math.floor(x * 10000 + 0.5) / 10000; }
  function headline(s) {
    return s >= 1 ? "Correct." : s > 0 ? "Partly correct: " + Math.floor(s * 100 + 0.5) + "% of the credit." : "Not correct.";
  }
  function result(key, score, specific) {
    score = round4(score);
    var lines = [headline(score)].concat(specific.filter(Boolean));
    if (lines.length === 1) {
      var generic = score >= 1 ? key.fc : key.fi;
      if (generic) lines.push(generic);
    }
    return { status: score >= 1 ? "correct" : score > 0 ? "partial" : "incorrect", score: score, feedback: lines };
  }
  function invalid(msg) { return { status: "invalid", score: 0, feedback: [msg] }; }
  function isStr(x) { return typeof x === "string"; }

  function own(map, k) { return map && Object.prototype.hasOwnProperty.call(map, k) ? map[k] : ""; }

  function grade(key, r) {
    var fb = key.feedback || {};
    if (r === null || r === undefined) return invalid("No answer yet.");
    switch (key.type) {
      case "single":
        if (!isStr(r) || key.options.indexOf(r) < 0) return invalid("Choose one option.");
        return result(key, r === key.answer ? 1 : 0, [own(fb, r)]);
      case "multiple": {
        if (!Array.isArray(r) || !r.every(isStr)) return invalid("Tick one or more options.");
        var chosen = r.filter(function (x, i) { return r.indexOf(x) === i; });
        if (!chosen.length || !chosen.every(function (x) { return key.options.indexOf(x) >= 0; }))
          return invalid("Tick one or more options.");
        var right = chosen.filter(function (x) { return key.answer.indexOf(x) >= 0; }).length;
        var wrong = chosen.length - right;
        var exact = right === key.answer.length && wrong === 0;
        return result(key, exact ? 1 : Math.max(0, (right - wrong) / key.answer.length),
          key.options.filter(function (o) { return chosen.indexOf(o) >= 0; }).map(function (o) { return own(fb, o); }));
      }
      case "truefalse":
        if (typeof r !== "boolean") return invalid("Choose True or False.");
        return result(key, r === key.answer ? 1 : 0, [own(fb, String(r))]);
      case "text": {
        if (!isStr(r) || !normaliseText(r)) return invalid("Type an answer.");
        var n = normaliseText(r);
        return result(key, key.accept.some(function (a) { return normaliseText(a) === n; }) ? 1 : 0, []);
      }
      case "numeric": {
        var v = parseNumber(r);
        if (v === null) return invalid("Type a number, such as 1947 or 2.5.");
        return result(key, Math.abs(v - key.answer) <= key.tolerance + 1e-9 ? 1 : 0, []);
      }
      case "matching": {
        if (typeof r !== "object" || Array.isArray(r)) return invalid("Choose a match for each item.");
        var any = key.pairs.some(function (p) { return isStr(r[p[0]]) && r[p[0]]; });
        if (!any) return invalid("Choose a match for each item.");
        var ok = key.pairs.filter(function (p) { return r[p[0]] === p[1]; }).length;
        var marks = key.pairs.map(function (p) { return p[0] + " " + (r[p[0]] === p[1] ? "✔" : "✘"); }).join("; ");
        return result(key, ok / key.pairs.length, [ok + " of " + key.pairs.length + " pairs matched correctly.", marks]);
      }
      case "ordering": {
        if (!Array.isArray(r) || r.map(String).sort().join("\u0000") !== key.items.slice().sort().join("\u0000"))
          return invalid("Put every item in order.");
        var at = [];
        r.forEach(function (x, i) { if (x === key.items[i]) at.push(i + 1); });
        var where = at.length ? "Right: position" + (at.length > 1 ? "s " : " ") + at.join(", ") + "." : "";
        return result(key, at.length / key.items.length, [at.length + " of " + key.items.length + " items in the right position.", where]);
      }
    }
    return invalid("Unknown question type.");
  }

  // ---- storage: this browser only -----------------------------------------------------
  var memory = {}, storageOk = true;
  function storeKey(el) { return "coursekit:" + el.dataset.ckCourse + ":" + el.dataset.ckChapter; }
  function load(el) {
    var k = storeKey(el), raw = null;
    try { raw = window.localStorage.getItem(k); } catch (e) { storageOk = false; raw = memory[k] || null; }
    try {
      var d = JSON.parse(raw);
      if (d && d.answers && d.responses && typeof d.answers === "object" && typeof d.responses === "object") return d;
    } catch (e) { /* unreadable: start afresh */ }
    return { answers: {}, responses: {} };
  }
  function save(el, change) {
    var d = load(el), k = storeKey(el);
    change(d);
    var text = JSON.stringify(d);
    try { window.localStorage.setItem(k, text); } catch (e) { storageOk = false; memory[k] = text; }
  }

  // ---- small DOM helpers ----------------------------------------------------------------
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
  var MARK = { correct: "✔ ", partial: "◐ ", incorrect: "✘ " };

  // ---- quizzes --------------------------------------------------------------------------
  function readResponse(form) {
    var t = form.dataset.ckType;
    if (t === "single" || t === "truefalse") {
      var c = $("input:checked", form);
      if (!c) return null;
      return t === "truefalse" ? c.value === "true" : c.value;
    }
    if (t === "multiple") return $$("input:checked", form).map(function (i) { return i.value; });
    if (t === "text" || t === "numeric") return $("input", form).value;
    if (t === "matching") {
      var m = {};
      $$("select", form).forEach(function (s) { if (s.value) m[s.dataset.ckLeft] = s.value; });
      return m;
    }
    return $$("li", form).map(function (li) { return li.dataset.ckItem; });
  }
  function restoreResponse(form, v) {
    var t = form.dataset.ckType;
    if (t === "single" || t === "truefalse" || t === "multiple") {
      $$("input", form).forEach(function (i) {
        var val = t === "truefalse" ? i.value === "true" : i.value;
        i.checked = Array.isArray(v) ? v.indexOf(val) >= 0 : v === val;
      });
    } else if (t === "text" || t === "numeric") {
      $("input", form).value = isStr(v) ? v : "";
    } else if (t === "matching") {
      $$("select", form).forEach(function (s) { s.value = (v && v[s.dataset.ckLeft]) || ""; });
    } else if (Array.isArray(v)) {
      var list = $("ol", form), byItem = {};
      $$("li", list).forEach(function (li) { byItem[li.dataset.ckItem] = li; });
      if (v.every(function (x) { return byItem[x]; }) && v.length === list.children.length)
        v.forEach(function (x) { list.appendChild(byItem[x]); });
    }
  }

  function initQuiz(quiz) {
    var keyEl = $("script.ck-key", quiz), keys = JSON.parse(keyEl.textContent);
    var mode = quiz.dataset.ckMode, forms = $$("form.ck-question", quiz), scores = {};
    quiz.addEventListener("coursekit:cleared", function () { scores = {}; updateScore(); });
    var scoreEl = $(".ck-score", quiz);
    function updateScore() {
      if (!scoreEl) return;
      var ids = Object.keys(scores), total = ids.reduce(function (s, id) { return s + scores[id]; }, 0);
      scoreEl.textContent = "Score: " + round4(total) + " of " + forms.length + " (" + ids.length + " checked).";
    }
    function show(form, res, restored) {
      var qid = form.dataset.ckQid, fbox = $(".ck-feedback", form), ex = $(".ck-explanation", form);
      if (mode === "assessment") { say(fbox, [(restored ? "Restored: " : "") + "Answer saved."]); return; }
      var lines = res.feedback.slice();
      lines[0] = MARK[res.status] + (restored ? "Restored from your saved answers. " : "") + lines[0];
      say(fbox, lines, res.status);
      ex.textContent = "";
      var b = document.createElement("strong"); b.textContent = "Explanation: ";
      ex.appendChild(b); ex.appendChild(document.createTextNode(keys[qid].explanation));
      ex.hidden = false;
      scores[qid] = res.score;
      updateScore();
    }
    var saved = load(quiz).answers;
    forms.forEach(function (form) {
      var qid = form.dataset.ckQid, key = keys[qid];
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var r = readResponse(form);
        var res = mode === "assessment" ? assessmentCheck(key, r) : grade(key, r);
        if (res.status === "invalid") {
          say($(".ck-feedback", form), [res.feedback[0]], "invalid");
          $(".ck-explanation", form).hidden = true;  // it explained an earlier answer
          return;
        }
        save(quiz, function (d) { d.answers[qid] = r; });
        show(form, res, false);
      });
      $$("button.ck-up, button.ck-down", form).forEach(function (btn) {
        btn.addEventListener("click", function () {
          var li = btn.closest("li"), list = li.parentNode;
          var up = btn.classList.contains("ck-up"), other = up ? li.previousElementSibling : li.nextElementSibling;
          if (!other) return;
          list.insertBefore(li, up ? other : other.nextElementSibling);
          btn.focus();
          var pos = Array.prototype.indexOf.call(list.children, li) + 1;
          say($(".ck-feedback", form), ["“" + li.dataset.ckItem + "” is now at position " + pos + " of " + list.children.length + "."]);
          $(".ck-explanation", form).hidden = true;  // it would give the order away while rearranging
        });
      });
      if (Object.prototype.hasOwnProperty.call(saved, qid)) {
        restoreResponse(form, saved[qid]);
        var res = mode === "assessment" ? assessmentCheck(key, saved[qid]) : grade(key, saved[qid]);
        if (res.status !== "invalid") show(form, res, true);
      }
    });
    updateScore();
  }
  // Assessment mode has no key: only check that something was given.
  function assessmentCheck(key, r) {
    var empty = r === null || r === "" || (Array.isArray(r) && !r.length) ||
      (typeof r === "object" && !Array.isArray(r) && !Object.keys(r).length);
    return empty ? invalid("No answer yet.") : { status: "recorded", score: 0, feedback: [] };
  }

  // ---- discussions ------------------------------------------------------------------------
  function words(s) { return s.split(/\s+/).filter(Boolean).length; }
  function initDiscussion(d) {
    var pid = d.dataset.ckPid, min = +d.dataset.ckWords, ta = $("textarea", d), count = $(".ck-count", d);
    var status = $(".ck-feedback", d), auto = $(".ck-autosaved", d), details = $("details", d);
    function update() { count.textContent = words(ta.value) + " of " + min + " words."; }
    function persist() { save(d, function (data) { data.responses[pid] = ta.value; }); }
    var saved = load(d).responses[pid];
    if (isStr(saved)) ta.value = saved;
    update();
    ta.addEventListener("input", function () {
      update(); persist();
      auto.textContent = "Saved automatically at " + new Date().toLocaleTimeString() + ".";
    });
    $(".ck-save", d).addEventListener("click", function () { persist(); say(status, ["Saved."]); });
    if (details) $("summary", details).addEventListener("click", function (ev) {
      if (!details.open && words(ta.value) < min) {
        ev.preventDefault();
        say(status, ["Other perspectives open once you have written " + min + " words (you have " + words(ta.value) + "); then compare your view with other perspectives."]);
      }
    });
  }

  // ---- export and clear ---------------------------------------------------------------------
  // Same rule as submission_filename() in submission.py: accents folded, so "José" is "jose".
  function slug(s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "student";
  }
  var LIMITS = { student: 200, answer: 10000, response: 100000 };  // as in the submission schema
  function tooLong(data, student) {
    if (student.length > LIMITS.student) return "Your name is longer than " + LIMITS.student + " characters.";
    for (var id in data.responses) if (String(data.responses[id]).length > LIMITS.response)
      return "A discussion response is longer than " + LIMITS.response + " characters: shorten it before exporting.";
    for (var q in data.answers) if (JSON.stringify(data.answers[q]).length > LIMITS.answer)
      return "An answer is longer than " + LIMITS.answer + " characters: shorten it before exporting.";
    return "";
  }
  function initExport(panel) {
    var status = $(".ck-feedback", panel), name = $("input", panel), ch = panel.dataset.ckChapter;
    var quiz = $('.ck-quiz[data-ck-chapter="' + ch + '"]');
    if (!storageOk) say(status, ["This browser does not allow saving: export your work before you leave the page."]);
    try { name.value = window.localStorage.getItem("coursekit:name") || ""; } catch (e) { /* not remembered */ }
    $(".ck-export-btn", panel).addEventListener("click", function () {
      var student = name.value.trim();
      if (!student) { say(status, ["Type your name first: your instructor needs it."]); name.focus(); return; }
      try { window.localStorage.setItem("coursekit:name", student); } catch (e) { /* not remembered */ }
      var data = load(panel), problem = tooLong(data, student);
      if (problem) { say(status, [problem]); return; }
      var sub = {
        format: "coursekit-submission", version: 1, course: panel.dataset.ckCourse, chapter: ch,
        student: student, created: new Date().toISOString().replace(/\.\d+Z$/, "Z"), source: "book",
        mode: quiz ? quiz.dataset.ckMode : "practice", answers: data.answers, responses: data.responses
      };
      var file = "submission-" + ch + "-" + slug(student) + ".json";
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([JSON.stringify(sub, null, 2)], { type: "application/json" }));
      a.download = file;
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      say(status, ["Exported " + file + ": hand this file to your instructor."]);
    });
    $(".ck-clear-btn", panel).addEventListener("click", function () {
      if (!window.confirm("Clear every answer and response you saved on this page?")) return;
      try { window.localStorage.removeItem(storeKey(panel)); } catch (e) { /* nothing stored */ }
      delete memory[storeKey(panel)];
      $$('[data-ck-chapter="' + ch + '"]').forEach(function (el) {
        $$("form", el).forEach(function (f) { f.reset(); });
        $$(".ck-feedback", el).forEach(function (f) { f.textContent = ""; f.className = "ck-feedback"; });
        $$(".ck-explanation", el).forEach(function (x) { x.hidden = true; x.textContent = ""; });
        $$("textarea", el).forEach(function (t) { t.value = ""; t.dispatchEvent(new Event("input")); });
        $$(".ck-autosaved", el).forEach(function (x) { x.textContent = ""; });
        el.dispatchEvent(new Event("coursekit:cleared"));
      });
      try { window.localStorage.removeItem(storeKey(panel)); } catch (e) { /* as above */ }
      say(status, ["Cleared: your saved answers and responses for this page are gone."]);
    });
  }

  // Accessibility fixes for the book theme, found by axe-core: the sidebar's expand
  // toggles have no name, and the bibliography list's items lack the listitem role.
  function fixTheme() {
    $$("nav details > summary").forEach(function (s) {
      if (s.textContent.trim() || s.getAttribute("aria-label")) return;
      var link = s.parentNode.parentNode.querySelector("a");
      s.setAttribute("aria-label", "Show sections of " + (link ? link.textContent.trim() : "this chapter"));
    });
    $$('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (e) { e.setAttribute("role", "listitem"); });
  }

  function init() {
    fixTheme();
    // Controls that need this script carry `hidden` in the markup: no dead buttons without it.
    $$(".ck-quiz, .ck-discussion, .ck-export").forEach(function (el) {
      el.classList.add("ck-js");
      $$(".ck-needs-js", el).forEach(function (x) { x.hidden = false; });
    });
    $$(".ck-quiz").forEach(initQuiz);
    $$(".ck-discussion").forEach(initDiscussion);
    $$(".ck-export").forEach(initExport);
    window.coursekitReady = performance.now();
    document.dispatchEvent(new Event("coursekit:ready"));
  }
  window.coursekit = { grade: grade, normaliseText: normaliseText, parseNumber: parseNumber };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
