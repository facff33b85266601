/*
 * The demo portal's frontend: the catalog with an entity page whose Resilience tab is this
 * plugin, signed in as guest through the backend's guest provider. `yarn start` at the
 * repository root runs it with the backend and the emulated cluster; see the README.
 */
import { InfoCard } from '@backstage/core-components';
import { createDevApp } from '@backstage/dev-utils';
import {
  catalogPlugin,
  CatalogEntityPage,
  CatalogIndexPage,
  EntityLayout,
} from '@backstage/plugin-catalog';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import CategoryIcon from '@material-ui/icons/Category';
import { EntityResilienceContent, resiliencePlugin } from '../src';

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
    </Grid>
  );
}

const entityPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Overview />
    </EntityLayout.Route>
    <EntityLayout.Route path="/resilience" title="Resilience">
      <EntityResilienceContent />
    </EntityLayout.Route>
  </EntityLayout>
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
  .render();
