// The CodeScribe playground: calls the service's own API (same origin) and shows the document as it streams.
// Plain script, no build step and no dependency; the service renders Markdown (POST /api/render), so the page
// never turns text into HTML itself. Every other value from the service is shown with textContent.
"use strict";

const EXAMPLES = {
  "calc.py": `"""Small arithmetic helpers."""


def add(a: int, b: int) -> int:
    return a + b


class Accumulator:
    def __init__(self, start: float = 0.0) -> None:
        self.total = start

    def push(self, value: float) -> float:
        self.total += value
        return self.total
`,
  "slugify.ts": `export interface Options {
  separator?: string;
  lower?: boolean;
}

export function slugify(text: string, options: Options = {}): string {
  const separator = options.separator ?? "-";
  const words = text.normalize("NFKD").match(/[A-Za-z0-9]+/g) ?? [];
  const slug = words.join(separator);
  return options.lower === false ? slug : slug.toLowerCase();
}
`,
  "retry.go": `package retry

import "time"

// Do calls f until it succeeds or attempts run out, doubling the wait each time.
func Do(attempts int, wait time.Duration, f func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = f(); err == nil {
			return nil
		}
		time.Sleep(wait)
		wait *= 2
	}
	return err
}
`,
  "stack.rs": `pub struct Stack<T> {
    items: Vec<T>,
}

impl<T> Stack<T> {
    pub fn new() -> Self {
        Stack { items: Vec::new() }
    }

    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    pub fn pop(&mut self) -> Option<T> {
        self.items.pop()
    }
}
`,
  "Counter.java": `package demo;

public class Counter {
    private int count;

    public int increment() {
        return ++count;
    }

    public void reset() {
        count = 0;
    }
}
`,
  "debounce.js": `export function debounce(fn, ms = 100) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
`,
};

const $ = (id) => document.getElementById(id);
const state = { controller: null, text: "", rendering: null, again: false };

function setState(name, message) {
  document.body.dataset.state = name;
  document.body.classList.toggle("streaming", name === "streaming");
  $("status").textContent = message;
  $("generate").disabled = name === "streaming";
  $("stop").disabled = name !== "streaming";
}

function headers(extra = {}) {
  const found = { ...extra };
  const token = $("token").value.trim();
  if (token) found.Authorization = `Bearer ${token}`;
  return found;
}

async function getJson(path) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

async function errorOf(response) {
  try {
    const body = await response.json();
    if (body && body.error) return body.error;
  } catch (ignored) {
    // not JSON: a proxy's page, say
  }
  return { type: `HTTP ${response.status}`, message: response.statusText || "The service answered with an error." };
}

function option(select, value, label) {
  const item = document.createElement("option");
  item.value = value;
  item.textContent = label;
  select.append(item);
}

function showError(error) {
  const box = $("error");
  let message = `${error.type}: ${error.message}`;
  if (error.retryAfter) message += `\nTry again in ${error.retryAfter} s.`;
  if (error.requestId) message += `\nRequest id: ${error.requestId}`;
  box.textContent = message;
  box.hidden = false;
  setState("error", `Failed: ${error.type}.`);
}

// Renders the latest text; the promise settles once the text as it is now is on the page (a render asked
// for while one is running runs after it, with the text as it is then).
function render() {
  state.again = true;
  if (!state.rendering) state.rendering = renderLoop();
  return state.rendering;
}

async function renderLoop() {
  try {
    while (state.again) {
      state.again = false;
      const text = state.text;
      const response = await fetch("/api/render", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({ markdown: text }),
      });
      if (response.ok) {
        $("document").innerHTML = (await response.json()).html; // escaped and link-checked by the service
      } else {
        const pre = document.createElement("pre");
        pre.textContent = text;
        $("document").replaceChildren(pre);
      }
    }
  } finally {
    state.rendering = null;
  }
}

function showQuality(complete) {
  const quality = complete.qualityScore;
  $("grade").textContent = quality.grade;
  $("score").textContent = `${quality.score} / 100`;
  const rows = quality.breakdown.map((criterion) => {
    const row = document.createElement("tr");
    for (const value of [criterion.name, `${criterion.points} / ${criterion.maxPoints}`, criterion.suggestion || ""]) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    return row;
  });
  $("breakdown").tBodies[0].replaceChildren(...rows);
  const meta = complete.metadata;
  const cost = meta.costUsd === null ? "not priced" : `$${meta.costUsd.toFixed(6)}`;
  const facts = [
    ["Provider", meta.provider],
    ["Model", meta.model || "(none)"],
    ["Tokens in / out", `${meta.inputTokens} / ${meta.outputTokens}`],
    ["Cache read / write", `${meta.cacheReadTokens} / ${meta.cacheWriteTokens}`],
    ["Cost", cost],
    ["Latency", `${Math.round(meta.latencyMs)} ms`],
    ["Prompt version", meta.promptVersion],
  ];
  $("metadata").replaceChildren(
    ...facts.flatMap(([name, value]) => {
      const term = document.createElement("dt");
      term.textContent = name;
      const detail = document.createElement("dd");
      detail.textContent = value;
      detail.dataset.field = name;
      return [term, detail];
    }),
  );
  $("warnings").replaceChildren(
    ...(complete.warnings || []).map((warning) => {
      const item = document.createElement("li");
      item.textContent = warning;
      return item;
    }),
  );
  $("quality").hidden = false;
}

function* events(buffer) {
  // Server-Sent Events: blocks separated by a blank line; "event:" and "data:" fields; ":" lines are keep-alives.
  const blocks = buffer.split(/\r?\n\r?\n/);
  for (const block of blocks) {
    let name = "message";
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length) yield [name, JSON.parse(data.join("\n"))];
  }
}

async function generate() {
  const code = $("code").value;
  state.text = "";
  $("document").replaceChildren();
  $("markdown").textContent = "";
  $("error").hidden = true;
  $("quality").hidden = true;
  if (!code.trim()) {
    showError({ type: "VALIDATION", message: "Paste some code first, or pick an example." });
    return;
  }
  const body = { code, docType: $("doc-type").value };
  if ($("language").value) body.language = $("language").value;
  if ($("filename").value.trim()) body.filename = $("filename").value.trim();
  const extra = { "Content-Type": "application/json", "X-LLM-Provider": $("provider").value };
  if (!$("model-label").hidden && $("model").value) extra["X-LLM-Model"] = $("model").value;
  state.controller = new AbortController();
  setState("streaming", "Waiting for the provider…");
  let finished = false;
  try {
    const response = await fetch("/api/generate-stream", {
      method: "POST",
      headers: headers(extra),
      body: JSON.stringify(body),
      signal: state.controller.signal,
    });
    if (!response.ok) {
      showError(await errorOf(response));
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      const cut = Math.max(pending.lastIndexOf("\n\n"), pending.lastIndexOf("\r\n\r\n"));
      if (cut < 0) continue;
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut).replace(/^(\r?\n)+/, "");
      for (const [name, data] of events(ready)) {
        if (name === "connected") setState("streaming", `Writing with ${data.provider}…`);
        else if (name === "chunk") {
          state.text += data.text;
          $("markdown").textContent = state.text;
          setState("streaming", `Streaming… ${state.text.length.toLocaleString()} characters`);
          render();
        } else if (name === "complete") {
          finished = true;
          await render();
          showQuality(data);
          setState("done", `Done: grade ${data.qualityScore.grade}.`);
        } else if (name === "error") {
          finished = true;
          showError(data);
        }
      }
    }
    if (!finished) showError({ type: "INCOMPLETE", message: "The stream ended before the document was complete." });
  } catch (error) {
    if (error.name === "AbortError") setState("stopped", "Stopped.");
    else showError({ type: "NETWORK", message: String(error) });
  } finally {
    state.controller = null;
  }
}

async function loadService() {
  const health = await getJson("/api/health");
  $("service").textContent = `CodeScribe ${health.version}: default provider ${health.defaultProvider}.`;
  for (const [name, about] of Object.entries(health.providers)) {
    option($("provider"), name, about.configured ? name : `${name} (no key)`);
  }
  $("provider").value = health.defaultProvider;
  for (const docType of (await getJson("/api/doc-types")).docTypes) option($("doc-type"), docType, docType);
  $("doc-type").value = "readme";
  const schema = await getJson("/openapi.json");
  for (const language of schema.components.schemas.GenerateRequest.properties.language.enum) {
    if (language) option($("language"), language, language);
  }
  for (const name of Object.keys(EXAMPLES)) option($("example"), name, name);
  await loadModels();
}

async function loadModels() {
  let models = [];
  try {
    models = (await getJson("/api/providers")).models;
  } catch (ignored) {
    // the service asks for a token: models appear once one is given
  }
  $("model").replaceChildren();
  option($("model"), "", "the provider's configured model");
  for (const model of models) option($("model"), model, model);
  $("model-label").hidden = models.length === 0;
}

function pickExample() {
  const name = $("example").value;
  if (!name) return;
  $("code").value = EXAMPLES[name];
  $("filename").value = name;
  $("language").value = "";
}

document.addEventListener("DOMContentLoaded", () => {
  $("example").addEventListener("change", pickExample);
  $("generate").addEventListener("click", generate);
  $("stop").addEventListener("click", () => state.controller && state.controller.abort());
  $("token").addEventListener("change", loadModels);
  setState("loading", "Loading…");
  loadService().then(
    () => setState("ready", "Ready."),
    (error) => showError(error.type ? error : { type: "NETWORK", message: String(error) }),
  );
});
