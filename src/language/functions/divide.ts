/** `divide(a, b)`: a / b, with the rules of the operator: integers truncate toward zero, an integer division by zero gives null. */
import { arithmeticFunction } from './arithmetic.js';

export const divide = arithmeticFunction('divide', '/', 'a / b, as the operator `/`');
