import { describe, expect, it } from '@jest/globals';
import { quadsToItems, type RdfItem } from './rdf-to-activity.js';
import { parseTurtle } from './serialize.js';

const PREFIXES = `
  @prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#> .
  @prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
  @prefix crmx: <http://cidoc-crm.org/cidoc-crm/> .
  @prefix m8g: <http://data.europa.eu/m8g/> .
  @prefix dcterms: <http://purl.org/dc/terms/> .
  @prefix prov: <http://www.w3.org/ns/prov#> .
  @prefix locn: <http://www.w3.org/ns/locn#> .
  @prefix adms: <http://www.w3.org/ns/adms#> .
  @prefix generiek: <https://data.vlaanderen.be/ns/generiek#> .
  @prefix geosparql: <http://www.opengis.net/ont/geosparql#> .
  @prefix schema: <https://schema.org/> .
  @prefix ex: <https://vendor.example/> .
`;

const PLACE = `
  ex:zaal a dcterms:Location ; locn:locatorName "Zaal"@nl ;
    locn:address [ a locn:Address ; locn:postCode "9000" ; locn:postName "Gent"@nl ] .`;

function read(turtle: string): RdfItem[] {
  return quadsToItems(parseTurtle(PREFIXES + turtle));
}

function activityOf(items: RdfItem[]) {
  const item = items.find((candidate) => candidate.kind === 'activity');
  if (item?.kind !== 'activity') throw new Error('no activity');
  return item;
}

describe('quadsToItems: every way the profile allows to say when and where', () => {
  it('reads crm:P4_has_time-span + prov:atLocation on sub-activities (the platform output)', () => {
    const item = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal ; cp:Activiteit.subactiviteit ex:a1 .
        ex:a1 a crm:E7_Activity ; crm:P4_has_time-span [ m8g:startTime "2027-01-01T20:00:00+01:00" ] .`),
    );
    expect(item.errors).toEqual([]);
    expect(item.activity?.performances.map((performance) => [performance.externalId, performance.start])).toEqual([['https://vendor.example/a1', '2027-01-01T20:00:00+01:00']]);
    expect(item.activity?.calendarType).toBeUndefined();
    expect(item.activity?.place?.name).toEqual({ nl: 'Zaal' });
  });

  it('reads Ruimtetijd only: one performance per space-time volume, in start order, the place from P161', () => {
    const item = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; cp:ruimtetijd ex:v2, ex:v1 .
        ex:v1 a crmx:E92_Spacetime_Volume ; crm:P161_has_spatial_projection ex:zaal ; crm:P160_has_temporal_projection [ m8g:startTime "2027-01-01T20:00:00+01:00" ; m8g:endTime "2027-01-01T22:00:00+01:00" ] .
        ex:v2 a crm:E92_Spacetime_Volume ; crm:P161_has_spatial_projection ex:zaal ; crm:P160_has_temporal_projection [ m8g:startTime "2027-01-02T20:00:00+01:00" ] .`),
    );
    expect(item.errors).toEqual([]);
    expect(item.activity?.calendarType).toBe('multiple');
    expect(item.activity?.performances.map((performance) => [performance.externalId, performance.start, performance.end])).toEqual([
      ['https://vendor.example/a:0', '2027-01-01T20:00:00+01:00', '2027-01-01T22:00:00+01:00'],
      ['https://vendor.example/a:1', '2027-01-02T20:00:00+01:00', undefined],
    ]);
    expect(item.activity?.place?.address.postalCode).toBe('9000');
  });

  it('reads times written on the volume itself (older udb3-backend output) and a sub-activity with its own Ruimtetijd', () => {
    const onVolume = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal ; cp:ruimtetijd ex:v .
        ex:v a crm:E92_Spacetime_Volume ; m8g:startTime "2027-01-01T20:00:00+01:00" .`),
    );
    expect(onVolume.errors).toEqual([]);
    expect(onVolume.activity?.performances.map((performance) => performance.start)).toEqual(['2027-01-01T20:00:00+01:00']);
    expect(onVolume.activity?.calendarType).toBe('single');
    const sub = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; cp:Activiteit.subactiviteit ex:a1 .
        ex:a1 a crm:E7_Activity ; cp:ruimtetijd [ crm:P161_has_spatial_projection ex:zaal ; crm:P160_has_temporal_projection [ m8g:startTime "2027-02-01T20:00:00+01:00" ] ] .`),
    );
    expect(sub.errors).toEqual([]);
    expect(sub.activity?.performances.map((performance) => performance.start)).toEqual(['2027-02-01T20:00:00+01:00']);
    expect(sub.activity?.place?.name).toEqual({ nl: 'Zaal' });
  });

  it('reads a periodic calendar (one volume with opening hours) and a permanent one (no time at all)', () => {
    const periodic = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; cp:ruimtetijd [ crm:P161_has_spatial_projection ex:zaal ; crm:P160_has_temporal_projection [ m8g:startTime "2027-01-01T00:00:00+01:00" ; m8g:endTime "2027-03-01T00:00:00+01:00" ] ] ;
          cp:Activiteit.beschikbaarheid [ a cp:Beschikbaarheid ; schema:hoursAvailable [ schema:opens "10:00" ; schema:closes "17:00" ; schema:dayOfWeek schema:Monday ] ] .`),
    );
    expect(periodic.errors).toEqual([]);
    expect(periodic.activity).toMatchObject({ calendarType: 'periodic', period: { start: '2027-01-01T00:00:00+01:00', end: '2027-03-01T00:00:00+01:00' }, performances: [] });
    expect(periodic.activity?.openingHours).toEqual([{ opens: '10:00', closes: '17:00', daysOfWeek: ['monday'] }]);
    const permanent = activityOf(read(`${PLACE} ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal .`));
    expect(permanent.errors).toEqual([]);
    expect(permanent.activity).toMatchObject({ calendarType: 'permanent', performances: [] });
  });

  it('refuses one activity at two places, naming both', () => {
    const item = activityOf(
      read(`${PLACE}
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal ; cp:ruimtetijd [ crm:P161_has_spatial_projection ex:elders ; crm:P160_has_temporal_projection [ m8g:startTime "2027-01-01T20:00:00+01:00" ] ] .`),
    );
    expect(item.errors.map((error) => error.path)).toEqual(['place']);
    expect(item.errors[0].message.en).toContain('https://vendor.example/zaal, https://vendor.example/elders');
  });
});

describe('quadsToItems: references and items on their own', () => {
  it('names an undescribed place and organizer as references (IRI, and the identifier a node carries)', () => {
    const item = activityOf(
      read(`
        ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal ; crmx:P14_carried_out_by ex:org .
        ex:zaal adms:identifier [ generiek:gestructureerdeIdentificator [ generiek:lokaleIdentificator "zaal-1" ] ] .`),
    );
    expect(item.errors).toEqual([]);
    expect(item.placeRef).toEqual({ iri: 'https://vendor.example/zaal', externalId: 'zaal-1' });
    expect(item.organizerRef).toEqual({ iri: 'https://vendor.example/org' });
    expect(item.activity?.place).toBeUndefined();
  });

  it('gives places and organizers described on their own as items; the place of an activity travels with it', () => {
    const items = read(`${PLACE}
      ex:b a dcterms:Location ; locn:locatorName "B"@nl ; locn:address [ locn:postCode "2000" ; locn:postName "Antwerpen"@nl ] ;
        locn:geometry [ geosparql:asGML "<gml:Point srsName='http://www.opengis.net/def/crs/EPSG/0/4326'><gml:pos>51.2 4.4</gml:pos></gml:Point>" ] .
      ex:org a cp:Organisator ; cp:Realisator.naam "Org"@nl .
      ex:a a crm:E7_Activity ; dcterms:title "A"@nl ; prov:atLocation ex:zaal .`);
    expect(items.map((item) => [item.kind, item.subject])).toEqual([
      ['place', 'https://vendor.example/b'],
      ['organizer', 'https://vendor.example/org'],
      ['activity', 'https://vendor.example/a'],
    ]);
    const place = items[0].kind === 'place' ? items[0].place : undefined;
    // EPSG:4326 is latitude first; CRS84 (udb3-backend) longitude first
    expect(place?.geo).toEqual({ latitude: 51.2, longitude: 4.4 });
  });

  it('reads one triple once when N-Quads repeat it in several graphs', () => {
    const items = quadsToItems(
      parseTurtle(`
        <https://vendor.example/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.cidoc-crm.org/cidoc-crm/E7_Activity> <https://g/1> .
        <https://vendor.example/a> <http://purl.org/dc/terms/title> "A"@nl <https://g/1> .
        <https://vendor.example/a> <http://purl.org/dc/terms/title> "A"@nl <https://g/2> .
        <https://vendor.example/a> <http://www.w3.org/ns/prov#atLocation> <https://vendor.example/zaal> <https://g/2> .`),
    );
    const item = activityOf(items);
    expect(item.errors).toEqual([]);
    expect(item.activity?.title).toEqual({ nl: 'A' });
  });
});
