export { EntityTeamResilienceContent } from './EntityTeamResilienceContent';
