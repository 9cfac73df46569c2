// Parses an iCalendar file with ical.js (Thunderbird's parser) and prints, as JSON, each
// event's UID, SEQUENCE, METHOD and its first occurrences as UTC instants. Used by the test
// suite as an independent check on the calendars Partnerhub writes.
//
// Beyond each VEVENT on its own, "series" gives every recurring event's occurrences with its
// overrides (same UID, RECURRENCE-ID) applied, as a calendar client would show them:
// [start, status] pairs in order.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const source = readFileSync(0, "utf8");
const limit = Number(process.argv[2] || 30);
const calendar = new ICAL.Component(ICAL.parse(source));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const components = calendar.getAllSubcomponents("vevent");
const events = components.map((component) => {
  const event = new ICAL.Event(component);
  const occurrences = [];
  if (event.isRecurring()) {
    const iterator = event.iterator();
    let next;
    while ((next = iterator.next()) && occurrences.length < limit) {
      occurrences.push(event.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
    }
  } else {
    occurrences.push(event.startDate.toJSDate().toISOString());
  }
  return {
    uid: event.uid,
    sequence: event.sequence,
    recurrenceId: event.recurrenceId ? event.recurrenceId.toJSDate().toISOString() : null,
    status: component.getFirstPropertyValue("status"),
    occurrences,
  };
});

const series = {};
for (const master of components.filter((c) => !c.hasProperty("recurrence-id"))) {
  const uid = master.getFirstPropertyValue("uid");
  const exceptions = components.filter(
    (c) => c.hasProperty("recurrence-id") && c.getFirstPropertyValue("uid") === uid,
  );
  const event = new ICAL.Event(master, { exceptions });
  if (!event.isRecurring()) continue;
  const iterator = event.iterator();
  const shown = [];
  let next;
  while ((next = iterator.next()) && shown.length < limit) {
    const details = event.getOccurrenceDetails(next);
    shown.push([
      details.startDate.toJSDate().toISOString(),
      details.item.component.getFirstPropertyValue("status"),
    ]);
  }
  series[uid] = shown;
}
console.log(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events, series }));
