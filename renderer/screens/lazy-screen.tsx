import { Component, lazy, useState, type ComponentType, type ErrorInfo, type LazyExoticComponent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame';

/**
 * Screens the home does not show are separate chunks (npm run bench -- startup): the kiosk host
 * serves them from the built files like the rest of the renderer, so they load offline too. One
 * can still fail to load, when the host restarts mid-update or a file is missing; the screen then
 * says so and offers a retry instead of going blank.
 */

/** A screen's code could not be fetched or evaluated; other errors are not this module's business. */
export class ScreenLoadError extends Error {
  constructor(cause: unknown) {
    super(`A screen could not be loaded: ${String(cause)}`, { cause });
    this.name = 'ScreenLoadError';
  }
}

// The lazy components whose import failed: React.lazy keeps a failed import's error for good,
// so a retry gives each a fresh lazy component and thereby a fresh import().
const failedScreens = new Set<() => void>();

/** Forgets every failed screen import, so the next render of those screens imports them again. */
export function forgetFailedScreenLoads(): void {
  for (const forget of failedScreens) forget();
  failedScreens.clear();
}

/**
 * A component rendering the screen `load` imports, loaded on first render. Render it inside
 * <Suspense> and a <ScreenLoadBoundary>.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any screen's props, kept exact by P.
export function lazyScreen<P extends Record<string, any>>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const importScreen = async (): Promise<{ default: ComponentType<P> }> => {
    try {
      return { default: await load() };
    } catch (error) {
      failedScreens.add(forget);
      throw new ScreenLoadError(error);
    }
  };
  let current: LazyExoticComponent<ComponentType<P>> = lazy(importScreen);
  function forget() {
    current = lazy(importScreen);
  }
  function LazyScreen(props: P) {
    const Screen = current as unknown as ComponentType<P>;
    return <Screen {...props} />;
  }
  return LazyScreen;
}

/** Shown while a screen's chunk loads: usually too briefly to see (the text fades in late, styles.css). */
export function ScreenLoading() {
  const { t } = useTranslation();
  // In the frame every screen has (one main landmark, one heading), so the page stays whole for
  // screen readers and the accessibility checks while a chunk or the database is on its way.
  return (
    <ScreenFrame title={t('app.title')}>
      <div className="screen-loading" role="status" data-testid="screen-loading">
        {t('app.loading')}
      </div>
    </ScreenFrame>
  );
}

/** Says a screen could not be loaded, with a retry and (where there is one) the way home. */
export function ScreenLoadProblem({ onRetry, onHome }: { onRetry: () => void; onHome?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const [retrying, setRetrying] = useState(false);
  return (
    <ScreenFrame title={t('app.title')} onHome={onHome}>
      <p className="problem-text" role="alert" data-testid="screen-load-problem">
        {t('app.screenLoadFailed')}
      </p>
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={retrying}
          onClick={() => {
            setRetrying(true);
            onRetry();
          }}
        >
          {t('app.retry')}
        </button>
      </div>
    </ScreenFrame>
  );
}

interface ScreenLoadBoundaryProps {
  /** Leaves the screen that failed; absent where there is nowhere else to go (enrolment). */
  onHome?: (() => void) | undefined;
  children: ReactNode;
}

/** Catches a screen chunk that failed to load and offers to try again; other errors go on up. */
export class ScreenLoadBoundary extends Component<ScreenLoadBoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    if (error instanceof ScreenLoadError) console.error(error, info.componentStack);
  }

  private readonly retry = () => {
    forgetFailedScreenLoads();
    this.setState({ error: null });
  };

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (error instanceof ScreenLoadError) return <ScreenLoadProblem onRetry={this.retry} onHome={this.props.onHome} />;
    throw error;
  }
}
