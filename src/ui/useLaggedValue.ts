/**
 * A value that follows its input one task later. Heavy figures that change together (the bars
 * and the histograms, when a round completes) then commit in separate tasks instead of one long
 * one; useDeferredValue alone batches them into a single commit.
 */
import { useEffect, useState } from 'react';

export function useLaggedValue<T>(value: T): T {
  const [lagged, setLagged] = useState(value);
  useEffect(() => {
    if (Object.is(value, lagged)) return;
    const timer = setTimeout(() => setLagged(() => value), 0);
    return () => clearTimeout(timer);
  }, [value, lagged]);
  return lagged;
}
