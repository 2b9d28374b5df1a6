import { describeIdleLayouts, VIEWPORTS } from '../../support/layouts';

describeIdleLayouts(Object.values(VIEWPORTS));
