import { Theme } from '@material-ui/core/styles';

/**
 * The styles of a chip of our own rather than MUI's, whose background would compete with the
 * colours it is filled with: `chip` for its shape, with `filled(colour)`, or `worst(colour)` for
 * the worst state, which reads differently without colour too: an outline and capitals.
 */
export function chipStyles(theme: Theme) {
  const filled = (color: string) => ({
    backgroundColor: color,
    color: theme.palette.getContrastText(color),
  });
  return {
    chip: {
      display: 'inline-block',
      padding: theme.spacing(0.25, 1),
      borderRadius: theme.spacing(1.5),
      border: '2px solid transparent',
      whiteSpace: 'nowrap' as const,
      fontWeight: theme.typography.fontWeightBold as number,
    },
    filled,
    worst: (color: string) => ({
      ...filled(color),
      borderColor: theme.palette.text.primary,
      textTransform: 'uppercase' as const,
    }),
  };
}
