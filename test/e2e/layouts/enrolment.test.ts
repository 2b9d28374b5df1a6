import { describeEnrolmentLayouts, VIEWPORTS } from '../../support/layouts';

describeEnrolmentLayouts(Object.values(VIEWPORTS));
