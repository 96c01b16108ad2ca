// What the page has drawn, for people poking at it from the browser's console (and for the browser
// tests): the Cytoscape instance of the lineage screen and the Chart.js charts of the tasks screen.
export const debugHandles = { graph: null, charts: {} };
