import {
  readOrganisationScorecardQuery,
  readTeamScorecardQuery,
} from './scorecardQuery';

describe('readTeamScorecardQuery', () => {
  it('has defaults: the worst 25 first, over 90 days', () => {
    expect(readTeamScorecardQuery({})).toEqual({
      offset: 0,
      limit: 25,
      sort: 'score',
      order: 'asc',
      grades: undefined,
      pillar: undefined,
      days: 90,
    });
  });

  it('reads every parameter', () => {
    expect(
      readTeamScorecardQuery({
        offset: '50',
        limit: '200',
        sort: 'code-security',
        order: 'desc',
        grade: 'a, f,None',
        pillar: 'backups',
        days: '365',
      }),
    ).toEqual({
      offset: 50,
      limit: 200,
      sort: 'code-security',
      order: 'desc',
      grades: ['A', 'F', 'none'],
      pillar: 'backups',
      days: 365,
    });
  });

  it.each([
    [
      { limit: '0' },
      /limit query parameter must be given once, as a whole number from 1 to 200, not "0"/,
    ],
    [{ limit: '201' }, /whole number from 1 to 200/],
    [{ limit: '' }, /limit query parameter/],
    [{ limit: ['1', '2'] }, /limit query parameter must be given once/],
    [{ offset: '-1' }, /offset query parameter/],
    [{ offset: '1.5' }, /offset query parameter/],
    [{ days: '366' }, /days query parameter .* from 1 to 365/],
    [
      { sort: 'grade' },
      /Unknown sort "grade" .*; use one of score, name, backups, recovery, certificates, code-security/,
    ],
    [{ order: 'up' }, /Unknown order "up" .*; use one of asc, desc/],
    [{ pillar: 'speed' }, /Unknown pillar "speed"/],
    [
      { grade: 'A,G,X' },
      /Unknown grade "G", "X" in the grade query parameter; use A, B, C, D, E, F, none/,
    ],
  ])('refuses %j', (query, message) => {
    expect(() => readTeamScorecardQuery(query)).toThrow(message);
  });
});

describe('readOrganisationScorecardQuery', () => {
  it('reads the days of the trend', () => {
    expect(readOrganisationScorecardQuery({})).toEqual({ days: 90 });
    expect(readOrganisationScorecardQuery({ days: '7' })).toEqual({ days: 7 });
    expect(() => readOrganisationScorecardQuery({ days: '0' })).toThrow(
      /days query parameter/,
    );
  });
});
