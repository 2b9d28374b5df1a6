/**
 * Where a learner was in a reading: the paragraph at the top of the view. Kept in this kiosk's
 * localStorage, by learner and lesson, beside the synced progress (which holds the time spent):
 * a paragraph index means nothing on another kiosk's screen, so it need not travel.
 */
export function readingPlaceKey(learnerId: string, courseId: string, lessonId: string): string {
  return `yuexue.reading-place:${learnerId}:${courseId}:${lessonId}`;
}

/** The blocks a reader moves through: headings, paragraphs, list items and pictures. */
export function readingBlocks(doc: Document): HTMLElement[] {
  return [...doc.body.querySelectorAll<HTMLElement>('h1, h2, h3, p, li, figure, img, table')];
}

/** The first block whose bottom is still in view: the one the learner is reading. */
export function firstVisibleBlock(blocks: HTMLElement[]): number {
  const index = blocks.findIndex((block) => block.getBoundingClientRect().bottom > 1);
  return Math.max(0, index);
}
