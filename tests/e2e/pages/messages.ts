import { expect, type Locator, type Page } from '@playwright/test';

/** The Messages page: folders, request list, request detail. */
export class MessagesPage {
  readonly folders: Locator;
  readonly list: Locator;
  readonly listHeading: Locator;
  readonly empty: Locator;
  readonly detail: Locator;
  readonly journey: Locator;
  readonly why: Locator;
  readonly notice: Locator;
  readonly requestError: Locator;

  constructor(readonly page: Page) {
    this.folders = page.getByTestId('folder-list');
    this.list = page.getByTestId('request-list');
    this.listHeading = page.getByTestId('request-list-heading');
    this.empty = page.getByTestId('request-list-empty');
    this.detail = page.getByTestId('request-detail');
    this.journey = page.getByTestId('journey');
    this.why = page.getByTestId('why-visible');
    this.notice = page.getByTestId('request-notice');
    this.requestError = page.getByTestId('request-error');
  }

  folder(id: string): Locator {
    return this.page.getByTestId(`folder-${id}`);
  }

  count(id: string): Locator {
    return this.page.getByTestId(`folder-count-${id}`);
  }

  coverToggle(id: string): Locator {
    return this.page.getByTestId(`cover-${id}`);
  }

  row(requestId: string): Locator {
    return this.page.getByTestId(`request-row-${requestId}`);
  }

  rows(): Locator {
    return this.list.locator('tbody tr');
  }

  /** Opens a folder and waits until the list shows it (not the previous one). */
  async openFolder(id: string): Promise<void> {
    await this.folder(id).click();
    await expect(this.folder(id)).toHaveAttribute('aria-current', 'page');
    await expect(this.list).toHaveAttribute('data-folder', id);
    await expect(this.list).toHaveAttribute('aria-busy', 'false');
  }

  async showStatus(status: 'open' | 'closed' | 'all'): Promise<void> {
    await this.page.getByTestId(`status-${status}`).click();
    await expect(this.page.getByTestId(`status-${status}`)).toHaveAttribute('aria-current', 'page');
    await expect(this.list).toHaveAttribute('aria-busy', 'false');
  }

  async openRequest(requestId: string): Promise<void> {
    await this.page.getByTestId(`request-link-${requestId}`).click();
    await expect(this.detail).toBeVisible();
    await expect(this.page.getByTestId('request-status')).toBeVisible();
  }

  async backToList(): Promise<void> {
    await this.page.getByTestId('back-to-list').click();
    await expect(this.list).toBeVisible();
  }

  /** Sets a folder's cover state through its toggle and waits for the answer. */
  async setCover(id: string, covered: boolean): Promise<void> {
    const toggle = this.coverToggle(id);
    if ((await toggle.getAttribute('aria-pressed')) !== String(covered)) {
      await toggle.click();
    }
    await expect(this.coverToggle(id)).toHaveAttribute('aria-pressed', String(covered));
  }

  async openAssign(): Promise<AssignDialog> {
    await this.page.getByTestId('assign-button').click();
    const dialog = new AssignDialog(this.page);
    await expect(dialog.root).toBeVisible();
    await expect(dialog.targets.locator('input[type=radio]').first()).toBeVisible();
    return dialog;
  }

  async close(): Promise<void> {
    await this.page.getByTestId('close-button').click();
    await expect(this.page.getByTestId('request-status')).toHaveText('Closed');
  }

  async reopen(): Promise<void> {
    await this.page.getByTestId('reopen-button').click();
    await expect(this.page.getByTestId('request-status')).toHaveText('Open');
  }
}

/** The assign dialog with its consent step and would-see preview. */
export class AssignDialog {
  readonly root: Locator;
  readonly filter: Locator;
  readonly targets: Locator;
  readonly reason: Locator;
  readonly reasonWhy: Locator;
  readonly reasonCount: Locator;
  readonly agreement: Locator;
  readonly wouldSee: Locator;
  readonly submit: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('assign-dialog');
    this.filter = page.getByTestId('assign-filter');
    this.targets = page.getByTestId('assign-targets');
    this.reason = page.getByTestId('assign-reason');
    this.reasonWhy = page.getByTestId('consent-reason-why');
    this.reasonCount = page.getByTestId('assign-reason-count');
    this.agreement = page.getByTestId('consent-agreement');
    this.wouldSee = page.getByTestId('would-see');
    this.submit = page.getByTestId('assign-submit');
    this.cancel = page.getByTestId('assign-cancel');
    this.error = page.getByTestId('assign-error');
  }

  target(id: string): Locator {
    return this.page.getByTestId(`assign-target-${id}`);
  }

  section(key: string): Locator {
    return this.page.getByTestId(`assign-section-${key}`);
  }

  async choose(id: string): Promise<void> {
    await this.target(id).check();
  }

  /** Presses Assign with something missing: the dialog stays, its error summary says what. */
  async expectRefused(problem: string): Promise<void> {
    await this.submit.click();
    const summary = this.page.getByTestId('assign-error-summary');
    await expect(summary.getByRole('link')).toHaveText([problem]);
    await expect(summary).toBeFocused();
    await expect(this.root).toBeVisible();
  }

  /** Chooses a target, gives a reason when asked, and assigns. */
  async assignTo(id: string, reason?: string): Promise<void> {
    await this.choose(id);
    if (reason !== undefined) {
      await this.reason.fill(reason);
    }
    await this.submit.click();
    await expect(this.root).toBeHidden();
  }
}
/**
 * Clicks a folder link and resolves with the milliseconds until the list shows that folder's
 * first row and the browser has painted it (the timeout after the next animation frame runs
 * once the frame is painted).
 */
export async function timeFolderPaint(
  messages: MessagesPage,
  folderId: string,
): Promise<{ total: number; api: number }> {
  return messages.page.evaluate(
    (id) =>
      new Promise<{ total: number; api: number }>((done) => {
        const link = document.querySelector<HTMLElement>(`[data-testid="folder-${id}"]`);
        if (!link) throw new Error(`no folder ${id}`);
        const selector = `[data-testid="request-list"][data-folder="${id}"][aria-busy="false"] tbody tr`;
        const t0 = performance.now();
        link.click();
        const poll = () => {
          if (document.querySelector(selector)) {
            requestAnimationFrame(() =>
              setTimeout(() => {
                const total = performance.now() - t0;
                // When the list's answer had fully arrived, from the same click.
                const answer = performance
                  .getEntriesByType('resource')
                  .filter((e) => e.name.includes(`folder=${id}`) && e.startTime >= t0)
                  .pop() as PerformanceResourceTiming | undefined;
                done({ total, api: answer ? answer.responseEnd - t0 : NaN });
              }, 0),
            );
          } else {
            requestAnimationFrame(poll);
          }
        };
        requestAnimationFrame(poll);
      }),
    folderId,
  );
}

