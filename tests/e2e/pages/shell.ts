import type { Locator, Page } from '@playwright/test';

export const navItems = [
  { label: 'Messages', path: '/messages' },
  { label: 'Groups', path: '/groups' },
  { label: 'Colleagues', path: '/colleagues' },
  { label: 'External', path: '/external' },
  { label: 'Agreements', path: '/agreements' },
  { label: 'Audit', path: '/audit' },
] as const;

/** The application shell: header, navigation, service status and the page heading. */
export class Shell {
  readonly header: Locator;
  readonly nav: Locator;
  readonly heading: Locator;
  readonly unreachable: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner');
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.heading = page.getByRole('heading', { level: 1 });
    this.unreachable = page.getByTestId('api-unreachable');
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
  }

  navLink(label: string): Locator {
    return this.nav.getByRole('link', { name: label, exact: true });
  }
}
