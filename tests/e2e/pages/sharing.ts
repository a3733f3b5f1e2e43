import { expect, type Locator, type Page } from '@playwright/test';

/** The organisation combobox (WAI-ARIA 1.2) of the Share dialog and the Agreements page. */
export class OrgCombobox {
  readonly input: Locator;
  readonly listbox: Locator;
  readonly status: Locator;
  readonly noResults: Locator;
  readonly error: Locator;
  readonly chosen: Locator;

  constructor(readonly root: Locator, readonly id: string) {
    this.input = root.getByRole('combobox');
    this.listbox = root.getByRole('listbox', { includeHidden: true });
    this.status = root.getByTestId(`${id}-status`);
    this.noResults = root.getByTestId(`${id}-no-results`);
    this.error = root.getByTestId(`${id}-error`);
    this.chosen = root.getByTestId(`${id}-selected`);
  }

  options(): Locator {
    return this.root.getByRole('option');
  }

  option(odsCode: string): Locator {
    return this.root.getByTestId(`org-option-${odsCode}`);
  }

  /** Types a query as a user would, key by key. */
  async type(query: string): Promise<void> {
    await this.input.click();
    await this.input.pressSequentially(query);
  }

  /** Searches and picks an organisation by its ODS code with the pointer. */
  async choose(query: string, odsCode: string): Promise<void> {
    await this.input.fill('');
    await this.type(query);
    await this.option(odsCode).click();
    await expect(this.chosen).toContainText(odsCode);
  }
}

/** The Groups or Colleagues page. */
export class TargetsPage {
  readonly shareDialog: ShareDialog;
  readonly editDialog: EditShareDialog;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.shareDialog = new ShareDialog(page);
    this.editDialog = new EditShareDialog(page);
    this.notice = page.getByTestId('sharing-notice');
  }

  target(id: string): Locator {
    return this.page.getByTestId(`target-${id}`);
  }

  shareButton(id: string): Locator {
    return this.target(id).getByTestId('share-button');
  }

  /** The entry of `partnerOds` in the target's "Shared with" list. */
  sharedWith(id: string, partnerOds: string): Locator {
    return this.target(id).getByTestId(`share-${partnerOds}`);
  }

  partnerButton(id: string, partnerOds: string): Locator {
    return this.sharedWith(id, partnerOds).getByTestId('partner-button');
  }

  async openShare(id: string): Promise<ShareDialog> {
    await this.shareButton(id).click();
    await expect(this.shareDialog.root).toBeVisible();
    return this.shareDialog;
  }

  async openEdit(id: string, partnerOds: string): Promise<EditShareDialog> {
    await this.partnerButton(id, partnerOds).click();
    await expect(this.editDialog.root).toBeVisible();
    return this.editDialog;
  }
}

export class ShareDialog {
  readonly root: Locator;
  readonly combobox: OrgCombobox;
  readonly restrict: Locator;
  readonly preview: Locator;
  readonly submit: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('share-dialog');
    this.combobox = new OrgCombobox(this.root, 'share-org');
    this.restrict = this.root.getByRole('checkbox', { name: 'Restrict View' });
    this.preview = this.root.getByTestId('share-preview');
    this.submit = this.root.getByRole('button', { name: 'Share', exact: true });
    this.cancel = this.root.getByRole('button', { name: 'Cancel' });
    this.error = this.root.getByTestId('share-error');
  }
}

export class EditShareDialog {
  readonly root: Locator;
  readonly restrict: Locator;
  readonly preview: Locator;
  readonly save: Locator;
  readonly remove: Locator;
  readonly confirm: Locator;
  readonly confirmYes: Locator;
  readonly confirmNo: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('edit-share-dialog');
    this.restrict = this.root.getByRole('checkbox', { name: 'Restrict View' });
    this.preview = this.root.getByTestId('edit-preview');
    this.save = this.root.getByRole('button', { name: 'Save' });
    this.remove = this.root.getByRole('button', { name: 'Remove share' });
    this.confirm = this.root.getByTestId('confirm-remove');
    this.confirmYes = this.root.getByRole('button', { name: 'Yes, remove the share' });
    this.confirmNo = this.root.getByRole('button', { name: 'No, keep it' });
  }
}

/** The External page: targets other organisations shared with ours. */
export class ExternalPage {
  constructor(readonly page: Page) {}

  owner(odsCode: string): Locator {
    return this.page.getByTestId(`owner-${odsCode}`);
  }

  item(targetId: string): Locator {
    return this.page.getByTestId(`external-${targetId}`);
  }

  action(targetId: string): Locator {
    return this.item(targetId).getByTestId('external-action');
  }
}

/** The Agreements page: the DSA register and the propose form. */
export class AgreementsPage {
  readonly combobox: OrgCombobox;
  readonly reference: Locator;
  readonly propose: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    const form = page.getByTestId('propose-form');
    this.combobox = new OrgCombobox(form, 'agreement-org');
    this.reference = form.getByLabel('Reference');
    this.propose = form.getByRole('button', { name: 'Propose agreement' });
    this.notice = page.getByTestId('agreements-notice');
  }

  row(partnerOds: string): Locator {
    return this.page.getByTestId(`agreement-${partnerOds}`);
  }
}

/** The Audit page. */
export class AuditPage {
  readonly filter: Locator;
  readonly rows: Locator;
  readonly download: Locator;

  constructor(readonly page: Page) {
    this.filter = page.getByLabel('Show');
    this.rows = page.getByTestId('audit-row');
    this.download = page.getByRole('button', { name: 'Download CSV' });
  }
}
