import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable (an RxDB query's `$`, a replication state), as React state. */
export function useObservable<T>(make: () => Observable<T>, initial: T, deps: unknown[]): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = make().subscribe(setValue);
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}
