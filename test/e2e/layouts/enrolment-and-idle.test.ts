import { describeEnrolmentAndIdleLayouts, VIEWPORTS } from '../../support/layouts';

describeEnrolmentAndIdleLayouts(Object.values(VIEWPORTS));
