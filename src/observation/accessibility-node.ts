/** A rectangle in CSS pixels relative to the viewport's top-left corner (getBoundingClientRect). */
export interface ViewportRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An AXValue as CDP reports it (only the fields the observation reads). */
export interface AccessibilityValue {
  type: string;
  value?: unknown;
}

/** One node of CDP's Accessibility.getFullAXTree, plus its on-screen bounds. */
export interface AccessibilityNode {
  nodeId: string;
  ignored: boolean;
  role?: AccessibilityValue;
  name?: AccessibilityValue;
  properties?: Array<{ name: string; value: AccessibilityValue }>;
  childIds?: string[];
  backendDOMNodeId?: number;
  /** Null when the node has no DOM node or its bounds could not be read. */
  bounds: ViewportRect | null;
}
