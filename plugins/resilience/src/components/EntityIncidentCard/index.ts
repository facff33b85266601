export { EntityIncidentCard, IncidentCard } from './EntityIncidentCard';
