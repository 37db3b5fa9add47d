// GOV.UK's time-out warning, as progressive enhancement: two minutes before the session ends, a modal dialog
// offers more time ("Stay on this page" renews the session with a keep-alive POST). If the time runs out, the
// words on a question page are sent (and kept with the draft) before the report closes on this device.

function minutesAndSeconds(total) {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (seconds > 0 || minutes === 0) parts.push(`${seconds} second${seconds === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function initTimeoutWarning(dialog) {
  if (typeof dialog.showModal !== "function") return; // very old browsers: the page works without it
  const timeout = Number(dialog.dataset.timeoutSeconds);
  const warning = Number(dialog.dataset.warningSeconds);
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const keepAlive = dialog.querySelector("[data-timeout-keep-alive]");
  const reportForm = document.querySelector("form[data-report-form]");
  let timers = [];
  let ticker = null;
  let returnFocus = null;

  function clear() {
    timers.forEach((t) => window.clearTimeout(t));
    timers = [];
    if (ticker) window.clearInterval(ticker);
    ticker = null;
  }

  function closeReport() {
    clear();
    if (reportForm) {
      // Keep what was typed: send the page as it is, marked as timed out (the server saves it, or keeps the
      // raw words if the page has a problem) and closes the report on this device.
      const marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = "timed_out";
      marker.value = "1";
      reportForm.appendChild(marker);
      reportForm.submit();
    } else {
      window.location.href = dialog.dataset.expiredUrl;
    }
  }

  function open() {
    returnFocus = document.activeElement;
    let left = warning;
    countdown.textContent = minutesAndSeconds(left);
    announce.textContent = `We will close this page in ${minutesAndSeconds(left)}.`;
    dialog.showModal();
    dialog.querySelector("#app-timeout-heading").focus();
    ticker = window.setInterval(() => {
      left -= 1;
      countdown.textContent = minutesAndSeconds(Math.max(left, 0));
      // Screen readers hear the time now and then, not every second.
      if (left === 60 || left === 20) announce.textContent = `We will close this page in ${minutesAndSeconds(left)}.`;
    }, 1000);
  }

  function start() {
    clear();
    // Send the page a few seconds early, while the session still holds the report.
    timers.push(window.setTimeout(open, Math.max(timeout - warning, 0) * 1000));
    timers.push(window.setTimeout(closeReport, Math.max(timeout - 5, 1) * 1000));
  }

  keepAlive.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(keepAlive.action, {
        method: "POST",
        body: new FormData(keepAlive),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`keep-alive ${response.status}`);
    } catch (problem) {
      closeReport();
      return;
    }
    dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
    start();
  });

  // Escape means "stay": it must not leave the dialog open with the clock still running unseen.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    keepAlive.requestSubmit();
  });

  start();
}

export function initAllTimeoutWarnings() {
  document.querySelectorAll('[data-module="app-timeout-warning"]').forEach(initTimeoutWarning);
}
