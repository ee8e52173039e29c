// Herald console: small progressive enhancements; every page also works without this script.
(function () {
  "use strict";

  // Times from the API (UTC) in the browser's time zone.
  document.querySelectorAll("time[data-local]").forEach(function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d.getTime())) {
      t.textContent = d.toLocaleString();
      t.title = t.getAttribute("datetime");
    }
  });

  // Copy buttons.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      var text = source.value !== undefined ? source.value : source.textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Copied";
      }, function () {
        source.select && source.select();
        button.textContent = "Press Ctrl+C";
      });
    });
  });

  // Busy state for forms that wait on Herald.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.setAttribute("aria-busy", "true");
        button.dataset.label = button.textContent;
        button.textContent = form.getAttribute("data-busy");
      }
    });
  });

  // Sections that follow a select (auth type).
  document.querySelectorAll("select[data-switch]").forEach(function (select) {
    var name = select.getAttribute("data-switch");
    function apply() {
      document.querySelectorAll("[data-case^='" + name + ":']").forEach(function (section) {
        section.hidden = section.getAttribute("data-case") !== name + ":" + select.value;
      });
    }
    select.addEventListener("change", apply);
    apply();
  });

  // Row editors: add from the template, remove a row.
  document.querySelectorAll("[data-rows]").forEach(function (editor) {
    var list = editor.querySelector("[data-row-list]");
    var template = editor.querySelector("template");
    editor.querySelector("[data-add-row]").addEventListener("click", function () {
      var next = parseInt(editor.getAttribute("data-next") || "0", 10);
      editor.setAttribute("data-next", String(next + 1));
      var html = template.innerHTML.split("__i__").join(String(next));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      list.appendChild(row);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
    editor.addEventListener("click", function (e) {
      var remove = e.target.closest("[data-remove-row]");
      if (remove) {
        remove.closest("[data-row]").remove();
      }
    });
  });

  // Event log range: the local date-times are sent in UTC.
  document.querySelectorAll("form[data-local-range]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[data-utc-of]").forEach(function (hidden) {
        var local = form.querySelector("#" + hidden.getAttribute("data-utc-of")).value;
        hidden.value = local ? new Date(local).toISOString() : "";
        hidden.disabled = !local;
      });
    });
  });

  // Transform playground: evaluates the expression on the example payload as you type.
  document.querySelectorAll("[data-playground]").forEach(function (root) {
    var editor = root.querySelector("[data-expression]");
    var output = root.querySelector("[data-result]");
    var status = root.querySelector("[data-status]");
    var token = root.querySelector("input[name=__RequestVerificationToken]").value;
    var input = JSON.parse(root.querySelector("[data-input]").textContent || "{}");
    var timer = null;
    var sequence = 0;
    function evaluate() {
      var mine = ++sequence;
      var expression = editor.value;
      if (!expression.trim()) {
        status.textContent = "No expression: the receiver gets the payload as it is.";
        output.textContent = JSON.stringify(input, null, 2);
        output.classList.remove("failed");
        return;
      }
      status.textContent = "Evaluating…";
      fetch("/console/api/transform", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "RequestVerificationToken": token },
        body: JSON.stringify({ expression: expression, input: input })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (mine !== sequence) return;
          if (response.ok) {
            output.classList.remove("failed");
            status.textContent = body.undefined ? "The expression produced nothing (undefined): the receiver would get no body." : "Result";
            output.textContent = body.undefined ? "" : JSON.stringify(body.result, null, 2);
          } else {
            output.classList.add("failed");
            var where = typeof body.position === "number" ? " (at position " + body.position + ")" : "";
            status.textContent = "Error" + where;
            output.textContent = (body.message || ("HTTP " + response.status)) + (typeof body.position === "number" ? "\n" + marker(expression, body.position) : "");
          }
        });
      }, function () {
        if (mine === sequence) status.textContent = "Herald could not be reached.";
      });
    }
    // The expression with a caret under the failing position.
    function marker(expression, position) {
      var before = expression.slice(0, position);
      var lineStart = before.lastIndexOf("\n") + 1;
      var lineEnd = expression.indexOf("\n", position);
      var line = expression.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
      return "\n" + line + "\n" + " ".repeat(Math.max(0, position - lineStart - 1)) + "^";
    }
    editor.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(evaluate, 250);
    });
    evaluate();
  });
})();
