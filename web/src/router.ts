// A small client-side router over the History API. Same-origin links are intercepted;
// each navigation gets an AbortSignal that is aborted when the next one starts. Every in-app
// navigation keeps the app's as-of date (?as_of=) unless the address names its own.

import { withAsOf } from './as-of';

export interface RouteContext {
  params: Record<string, string>;
  path: string;
  signal: AbortSignal;
}

export type View = (outlet: HTMLElement, ctx: RouteContext) => void | Promise<void>;

interface Route {
  pattern: RegExp;
  keys: string[];
  view: View;
}

const navigateEvent = 'pdh:navigate';

/** Goes to an in-app path (from links, chart clicks, table rows), with the as-of date; `replace` for redirects. */
export function go(to: string, { replace = false } = {}): void {
  const href = withAsOf(to);
  if (replace) history.replaceState(null, '', href);
  else if (href !== location.pathname + location.search + location.hash) history.pushState(null, '', href);
  window.dispatchEvent(new Event(navigateEvent));
}

export class Router {
  private readonly routes: Route[] = [];
  private controller?: AbortController;

  constructor(
    private readonly outlet: HTMLElement,
    private readonly notFound: View,
    private readonly onNavigate: (path: string) => void = () => {},
  ) {}

  /** Registers a path such as "/units/:code". */
  add(path: string, view: View): this {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ pattern: new RegExp(`^${source}/?$`), keys, view });
    return this;
  }

  start(): void {
    window.addEventListener('popstate', () => void this.render());
    window.addEventListener(navigateEvent, () => {
      void this.render();
      window.scrollTo(0, 0);
    });
    document.addEventListener('click', (e) => this.intercept(e));
    void this.render();
  }

  /** Renders the current location again (e.g. after a language change). */
  refresh(): Promise<void> {
    return this.render();
  }

  private intercept(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest('a');
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    if (a.hash && a.pathname === location.pathname && a.search === location.search) return; // in-page anchor
    e.preventDefault();
    go(a.pathname + a.search + a.hash);
  }

  private async render(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const path = safeDecode(location.pathname);
    this.onNavigate(path);
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, m[i + 1]]));
      await route.view(this.outlet, { params, path, signal: controller.signal });
      return;
    }
    await this.notFound(this.outlet, { params: {}, path, signal: controller.signal });
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
