import axe from 'axe-core';

/**
 * Accessibility violations of the rendered document, WCAG 2.1 A/AA. Colour contrast needs real
 * layout and rendering, which jsdom lacks; the colour palette is chosen for contrast instead.
 */
export async function accessibilityViolations(root: Element = document.body): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}
