import { screen, within } from '@testing-library/react';

/**
 * The text of each cell of each row of data in the tables on screen, row by row. Rows of one
 * cell are left out: Backstage's Table draws its empty message and its filler rows that way.
 */
export function cellTexts(): Array<Array<string | null>> {
  return screen
    .getAllByRole('row')
    .filter(r => within(r).queryAllByRole('cell').length > 1)
    .map(r =>
      within(r)
        .getAllByRole('cell')
        .map(c => c.textContent),
    );
}
