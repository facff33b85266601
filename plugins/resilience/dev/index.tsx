/*
 * The demo portal's frontend, signed in as guest through the backend's guest provider: the
 * catalog, whose component pages have the scorecard card on their overview and the Resilience
 * tab, whose group pages have the team's Resilience tab, and the organisation's page at
 * /resilience. `yarn start` at the repository root runs it with the backend and the emulated
 * cluster; see the README.
 */
import { InfoCard } from '@backstage/core-components';
import { createDevApp } from '@backstage/dev-utils';
import {
  catalogPlugin,
  CatalogEntityPage,
  CatalogIndexPage,
  EntityLayout,
  EntitySwitch,
  isKind,
} from '@backstage/plugin-catalog';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import CategoryIcon from '@material-ui/icons/Category';
import SecurityIcon from '@material-ui/icons/Security';
import {
  EntityResilienceContent,
  EntityResilienceScorecardCard,
  EntityTeamResilienceContent,
  isResilienceAvailable,
  ResiliencePage,
  resiliencePlugin,
} from '../src';

function Overview() {
  const { entity } = useEntity();
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="About">
          <Typography variant="body1" paragraph>
            {entity.metadata.description ?? 'No description.'}
          </Typography>
          <Typography variant="body2">
            Owner: {String(spec.owner ?? '—')}
          </Typography>
          <Typography variant="body2">
            Type: {String(spec.type ?? '—')}
          </Typography>
          <Typography variant="body2">
            Lifecycle: {String(spec.lifecycle ?? '—')}
          </Typography>
        </InfoCard>
      </Grid>
      <EntitySwitch>
        <EntitySwitch.Case if={isResilienceAvailable}>
          <Grid item xs={12} md={6}>
            <EntityResilienceScorecardCard />
          </Grid>
        </EntitySwitch.Case>
      </EntitySwitch>
    </Grid>
  );
}

const groupPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Overview />
    </EntityLayout.Route>
    <EntityLayout.Route path="/resilience" title="Resilience">
      <EntityTeamResilienceContent />
    </EntityLayout.Route>
  </EntityLayout>
);

const defaultPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Overview />
    </EntityLayout.Route>
    {/* On every component: without annotations, the tab says which to add. */}
    <EntityLayout.Route path="/resilience" title="Resilience">
      <EntityResilienceContent />
    </EntityLayout.Route>
  </EntityLayout>
);

const entityPage = (
  <EntitySwitch>
    <EntitySwitch.Case if={isKind('group')}>{groupPage}</EntitySwitch.Case>
    <EntitySwitch.Case>{defaultPage}</EntitySwitch.Case>
  </EntitySwitch>
);

createDevApp()
  .registerPlugin(catalogPlugin)
  .registerPlugin(resiliencePlugin)
  .addPage({
    path: '/catalog',
    title: 'Catalog',
    icon: CategoryIcon,
    element: <CatalogIndexPage initiallySelectedFilter="all" />,
  })
  .addPage({
    path: '/catalog/:namespace/:kind/:name',
    element: <CatalogEntityPage />,
    children: entityPage,
  })
  .addPage({
    path: '/resilience',
    title: 'Resilience',
    icon: SecurityIcon,
    element: <ResiliencePage />,
  })
  .render();
