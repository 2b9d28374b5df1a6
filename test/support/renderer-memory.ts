import type { CDPSession, Page } from 'playwright-core';

export interface RendererMemory {
  /** The page's JS heap in use, in bytes, after a forced collection. */
  heapBytes: number;
  /** DOM nodes alive, attached or not: detached nodes something still holds count too. */
  domNodes: number;
  /** Event listeners alive. */
  listeners: number;
}

/** A DevTools session on the page with the performance counters on, for rendererMemory. */
export async function memoryProbe(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/**
 * What the renderer holds after a forced collection (twice: the first can leave finalised
 * objects for the second), through the DevTools protocol.
 */
export async function rendererMemory(cdp: CDPSession): Promise<RendererMemory> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { heapBytes: usedSize, domNodes: metric('Nodes'), listeners: metric('JSEventListeners') };
}
