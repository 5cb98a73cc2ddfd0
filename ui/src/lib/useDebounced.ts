import { useEffect, useState } from 'react';

/**
 * The value as it was `ms` after it last changed: for asking the core only once typing pauses. Compare by value
 * (pass text or numbers, e.g. `JSON.stringify` of an object), or every render restarts the wait.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
