// Data a view loads, reloads when its inputs change, and optionally polls while the page is visible.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Loads `load()` now, again when `deps` change, and every `everyMs` while the page is visible.
 * Returns { data, error, loading, reload }.
 */
export function useResource(load, deps, everyMs = 0) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      const data = await latest.current();
      setState({ data, error: null, loading: false });
    } catch (error) {
      setState((previous) => ({ data: previous.data, error, loading: false }));
    }
  }, []);
  useEffect(() => {
    setState((previous) => ({ ...previous, loading: true }));
    void reload();
    if (!everyMs) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, deps);
  return { ...state, reload };
}
