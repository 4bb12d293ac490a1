// Kinerjaku page script: registers the service worker, offers updates, shows connectivity.
// Pages work without it; this only adds what needs a script.

const banner = () => document.getElementById("connection-banner");

function showConnectivity() {
  const element = banner();
  if (element) element.hidden = navigator.onLine;
}

function offerUpdate(registration) {
  const prompt = document.getElementById("update-prompt");
  if (!prompt || !registration.waiting) return;
  prompt.hidden = false;
  prompt.querySelector("button").addEventListener("click", () => {
    // Forms keep their drafts as they are typed, so reloading loses nothing.
    document.dispatchEvent(new CustomEvent("kinerjaku:before-update"));
    registration.waiting.postMessage({ type: "SKIP_WAITING" });
  }, { once: true });
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        offerUpdate(registration);
      }
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading || !document.documentElement.dataset.updateAccepted) return;
    reloading = true;
    window.location.reload();
  });
  document.addEventListener("kinerjaku:before-update", () => {
    document.documentElement.dataset.updateAccepted = "1";
  });
}

window.addEventListener("online", showConnectivity);
window.addEventListener("offline", showConnectivity);
showConnectivity();
registerWorker().catch((error) => console.warn("Service worker not registered:", error));
