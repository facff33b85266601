import { makeStyles } from '@material-ui/core/styles';

/** The styles every chart shares: its axes, its legend and the summary under it. */
export const useChartStyles = makeStyles(theme => ({
  chart: { display: 'block', width: '100%' },
  axis: { stroke: theme.palette.text.secondary, strokeWidth: 1 },
  grid: { stroke: theme.palette.divider, strokeWidth: 1 },
  tick: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
  },
  legendItem: { display: 'inline-flex', alignItems: 'center' },
  legendSymbol: { marginRight: theme.spacing(0.75), flexShrink: 0 },
  summary: { marginTop: theme.spacing(1) },
}));
