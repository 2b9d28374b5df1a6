import { describeKioskScreenLayouts, VIEWPORTS } from '../../support/layouts';

describeKioskScreenLayouts(VIEWPORTS.small);
