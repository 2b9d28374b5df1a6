import { describe } from 'vitest';
import { seniorJourney } from '../support/senior-journey';

// One language and screen a file, so each file stays well under a minute on a busy machine.
describe('a senior’s whole visit without help', () => seniorJourney('en', { width: 1080, height: 1920 }));
