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

  /** Signs in from the persona picker (shown on any page while signed out). */
  async signInAs(userId: string): Promise<void> {
    await this.page.getByTestId(`persona-${userId}`).click();
    await this.page.getByTestId('account').waitFor();
  }

  /** Opens `path` signed in as `userId`. */
  async gotoAs(userId: string, path: string): Promise<void> {
    await this.goto(path);
    await this.signInAs(userId);
  }

  async switchPersona(userId: string): Promise<void> {
    await this.page.getByTestId('switch-persona').click();
    await this.signInAs(userId);
  }

  navLink(label: string): Locator {
    return this.nav.getByRole('link', { name: label, exact: true });
  }
}
