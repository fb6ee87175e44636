/**
 * @generated SignedSource<<1c4a1c299e26723508405a5ec3d9b10c>>
 * @relayHash 91a25892084f315598d898efabefbfb9
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID dc4364d854b8fd566f4890c03e8c1a966518a7e29f768c60f3c330b32972bf9a

import { ConcreteRequest } from 'relay-runtime';
export type Role = "ADMIN" | "COORDINATOR" | "EDITOR" | "VIEWER" | "%future added value";
export type mainMeQuery$variables = Record<PropertyKey, never>;
export type mainMeQuery$data = {
  readonly me: {
    readonly committee: {
      readonly id: string;
      readonly name: string;
    } | null | undefined;
    readonly displayName: string;
    readonly role: Role;
    readonly username: string;
  };
};
export type mainMeQuery = {
  response: mainMeQuery$data;
  variables: mainMeQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "username",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "displayName",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "role",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "concreteType": "Committee",
  "kind": "LinkedField",
  "name": "committee",
  "plural": false,
  "selections": [
    (v3/*: any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "name",
      "storageKey": null
    }
  ],
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "mainMeQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Account",
        "kind": "LinkedField",
        "name": "me",
        "plural": false,
        "selections": [
          (v0/*: any*/),
          (v1/*: any*/),
          (v2/*: any*/),
          (v4/*: any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "mainMeQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Account",
        "kind": "LinkedField",
        "name": "me",
        "plural": false,
        "selections": [
          (v0/*: any*/),
          (v1/*: any*/),
          (v2/*: any*/),
          (v4/*: any*/),
          (v3/*: any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "dc4364d854b8fd566f4890c03e8c1a966518a7e29f768c60f3c330b32972bf9a",
    "metadata": {},
    "name": "mainMeQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "bdabba12e0f95146c6f78bc06c14ca17";

export default node;
