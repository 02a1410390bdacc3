// The desk's one script: the progress of a background run, and a confirmation before declaring "none this year".
// Every page works without it; it only saves reloading by hand.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
  var box = document.getElementById("progress");
  if (!box) return;
  var state = document.getElementById("progress-state");
  var steps = document.getElementById("progress-steps");
  var start = document.getElementById("refresh-start");
  function show(job) {
    steps.textContent = "";
    job.steps.forEach(function (s) {
      var li = document.createElement("li");
      li.textContent = s.message;
      steps.appendChild(li);
    });
    if (job.running) state.textContent = "正在更新…… / running… (" + job.steps.length + ")";
    else if (job.error) state.textContent = "更新失败 / failed：" + job.error;
    else if (job.finished_at) state.textContent = "更新完成于 " + job.finished_at + " / finished";
    if (start) start.disabled = job.running;
    box.setAttribute("data-running", job.running ? "yes" : "no");
  }
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var was = box.getAttribute("data-running") === "yes";
        show(job);
        if (job.running) window.setTimeout(poll, 1000);
        else if (was && !job.error) window.setTimeout(function () { window.location.reload(); }, 800);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (box.getAttribute("data-running") === "yes") poll();
})();
