// IPC channel names of the desktop-only functions (DesktopBridge), next to the contract's
// session channels. Its own module because the sandboxed preload bundles it and must not pull
// in anything that needs Node.
export const DESKTOP_CHANNELS = {
  layout: 'desktop.layout',
  saveLayout: 'desktop.saveLayout',
  /**
   * Sent (not invoked) by the preload when the page first subscribes to events: from then on
   * menu commands reach it, so a file named on the command line is handed over only then.
   */
  subscribed: 'desktop.subscribed',
} as const;
